# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's part of the account page (declared in the manifest)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from carto_concertation.accounts.panels import AccountLink, AccountPanel

from .selectors.editions import territories_run_by


def editions_panel(user) -> AccountPanel | None:
    """For a planner: the link to the editions they run (the editions part)."""
    if not territories_run_by(user).exists():
        return None
    return AccountPanel(
        links=[AccountLink(_("Participatory budgets: run the editions"), reverse("budgets:manage"))]
    )
