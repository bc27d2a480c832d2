# SPDX-License-Identifier: AGPL-3.0-or-later
"""The consultation's part of the account page (my questionnaires: drafts to resume,
those I submitted; the organisers' link to their questionnaires), of the home page (the
questionnaires open now) and of a space's page (its questionnaires), declared in the
manifest."""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from carto_concertation.accounts.panels import AccountLink, AccountPanel
from carto_concertation.accounts.rules import is_administrator, plans_somewhere

from . import links
from .selectors.listing import questionnaires_listed, questionnaires_open_now, responses_of

# Who builds questionnaires somewhere: the link to the organisers' pages.
organises_somewhere = is_administrator | plans_somewhere


def responses_panel(user) -> AccountPanel | None:
    """The person's drafts (with the page to resume them on) and submitted responses;
    nothing for someone who has answered no questionnaire."""
    own = responses_of(user)
    if not own:
        return None
    return AccountPanel(template="surveys/listing/account_responses.html", items=own)


def organiser_panel(user) -> AccountPanel | None:
    if not organises_somewhere.test(user):
        return None
    return AccountPanel(
        links=[AccountLink(_("Consultations: my questionnaires"), links.manage_url())]
    )


def home_context(request: HttpRequest) -> Mapping[str, Any]:
    """The questionnaires taking answers now, closing first."""
    return {"open_questionnaires": list(questionnaires_open_now())}


def space_entry(space) -> tuple[str, str] | None:
    """The link to the space's questionnaire (to the list of its questionnaires when it
    has several); none when it has none published."""
    listed = list(questionnaires_listed(concertation_id=space.pk))
    if not listed:
        return None
    if len(listed) == 1:
        only = listed[0]
        return _("Questionnaire: %(title)s") % {"title": only.title}, links.questionnaire_url(
            only.slug
        )
    label = ngettext("%(count)d questionnaire", "%(count)d questionnaires", len(listed)) % {
        "count": len(listed)
    }
    return label, f"{reverse('surveys:list')}?{urlencode({'concertation': space.slug})}"
