# SPDX-License-Identifier: AGPL-3.0-or-later
"""The crowdfunding portal's processing of personal data (record of processing, privacy
notice)."""

from django.utils.translation import gettext_lazy as _

from carto_concertation.accounts.processing import PUBLIC_INTEREST, kept_anonymous_after_account
from carto_concertation.core.modules import ProcessingDeclaration

PROCESSING = (
    ProcessingDeclaration(
        key="crowdfunding",
        name=_("Crowdfunding"),
        data=_(
            "Projects submitted (name of the porteur, text, place, photos, link to the "
            "campaign), news of the works, campaign figures typed in, projects followed."
        ),
        purpose=_(
            "Show the territory's crowdfunding projects on the map, review them and "
            "follow their works."
        ),
        legal_basis=PUBLIC_INTEREST,
        subjects=_("Porteurs of projects and residents who follow them."),
        recipients=_(
            "Public: the projects accepted, with their porteur's name; the territory's "
            "reviewers for those submitted."
        ),
        retention=kept_anonymous_after_account,
    ),
)
