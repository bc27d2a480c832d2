# SPDX-License-Identifier: AGPL-3.0-or-later
"""The workshops module's part of a person's account page (declared in its manifest):
the way to the workshops, for those who run them."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carto_concertation.accounts.panels import AccountLink, AccountPanel


def account_panel(user) -> AccountPanel | None:
    if not user.has_perm("workshops.run"):
        return None
    return AccountPanel(links=[AccountLink(_("Map workshops"), reverse("workshops:workshop-list"))])
