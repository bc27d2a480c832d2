# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas module's part of a person's account page (declared in its manifest): the
dashboards of the concertations they plan, and the ideas they proposed with the answers."""

from django.urls import reverse
from django.utils.translation import gettext as _

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.panels import AccountLink, AccountPanel
from carto_concertation.accounts.selectors import territories_for_role
from carto_concertation.concertations.selectors import concertations_planned_by

from .selectors import contribution_list_of_author


def account_panel(user) -> AccountPanel:
    dashboards = [
        AccountLink(
            _("Dashboard and bilan: %(title)s") % {"title": concertation.title},
            reverse("concertation-dashboard", args=[concertation.slug]),
        )
        for concertation in concertations_planned_by(user=user)
    ]
    # The moderators' back office (engagement's pages) holds the ideas and their comments.
    if territories_for_role(user=user, role=Role.MODERATOR).exists():
        dashboards.append(
            AccountLink(_("Moderation of ideas and comments"), reverse("moderation-home"))
        )
    return AccountPanel(
        links=dashboards,
        template="contributions/account_ideas.html",
        items=contribution_list_of_author(user=user),
    )
