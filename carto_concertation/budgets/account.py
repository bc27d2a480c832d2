# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's part of the account page (my projects, my supports; the
editions a planner runs), of the home page (each territory's current edition) and of a space's page (declared in the
manifest)."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from carto_concertation.accounts.panels import AccountLink, AccountPanel

from .selectors.editions import territories_run_by
from .selectors.projects import edition_current, editions_public, submitted_by, supports_of


def account_panel(user) -> AccountPanel | None:
    """The person's projects and supports; nothing for someone who has neither."""
    submitted, supported = list(submitted_by(user)), list(supports_of(user))
    if not submitted and not supported:
        return None
    return AccountPanel(
        template="budgets/projects/account_projects.html",
        items={"submitted": submitted, "supported": supported},
    )


def home_context(request: HttpRequest) -> Mapping[str, Any]:
    """Each territory's current edition (the first published one there, current first)."""
    current: dict[int, Any] = {}
    for edition in editions_public():
        current.setdefault(edition.territory_id, edition)
    return {"budget_editions": list(current.values())}


def space_entry(space) -> tuple[str, str] | None:
    """The space's link to its territory's current edition, none without one."""
    edition = edition_current(space.territory_id)
    if edition is None:
        return None
    return _("Participatory budget: %(title)s") % {"title": edition.title}, reverse(
        "budgets:edition", args=[edition.slug]
    )


def editions_panel(user) -> AccountPanel | None:
    """For a planner: the link to the editions they run (the editions part)."""
    if not territories_run_by(user).exists():
        return None
    return AccountPanel(
        links=[AccountLink(_("Participatory budgets: run the editions"), reverse("budgets:manage"))]
    )
