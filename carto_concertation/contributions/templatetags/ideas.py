# SPDX-License-Identifier: AGPL-3.0-or-later
"""Template helpers of the ideas' pages."""

from urllib.parse import quote

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def report_url(context, model: str, pk: int) -> str:
    """The no-JavaScript report page of ``model`` ("contributions.contribution" or
    "engagement.comment") ``pk``, coming back here after; empty while the moderation's
    pages (URL name ``report-form``) are not installed, and the link is then left out."""
    try:
        url = reverse("report-form", args=[model, pk])
    except NoReverseMatch:
        return ""
    request = context.get("request")
    back = request.get_full_path() if request is not None else ""
    return f"{url}?next={quote(back)}" if back else url
