# SPDX-License-Identifier: AGPL-3.0-or-later
"""``{% crowdfunding_follows project as follows %}`` and ``{% crowdfunding_news project
as news %}``: what the follow-up's section of a project's page shows (the portal part's
page includes it with ``project`` and ``request`` in its context)."""

from django import template

from ..models import Project
from ..selectors.followup import (
    followers_count,
    inauguration_date,
    is_following,
    project_news,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def crowdfunding_follows(context, project: Project) -> bool:
    """Whether the person reading the page follows the project."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return user is not None and is_following(project, user)


@register.simple_tag
def crowdfunding_followers(project: Project) -> int:
    return followers_count(project)


@register.simple_tag(takes_context=True)
def crowdfunding_news(context, project: Project) -> list:
    """The project's news of the works the reader sees, the newest first."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return list(project_news(project, user))


@register.simple_tag
def crowdfunding_inaugurated_on(project: Project):
    """The date of the news of the inauguration, None before it."""
    return inauguration_date(project)
