# SPDX-License-Identifier: AGPL-3.0-or-later
"""The map workshops' processing of personal data (record of processing, privacy notice)."""

from django.utils.translation import gettext_lazy as _

from carto_concertation.accounts.processing import PUBLIC_INTEREST, kept_anonymous_after_account
from carto_concertation.core.modules import ProcessingDeclaration

PROCESSING = (
    ProcessingDeclaration(
        key="workshops",
        name=_("Map workshops"),
        data=_(
            "The workshops a relay plans (commune, date, place) and the ideas they type "
            "in for the participants, who are not named."
        ),
        purpose=_(
            "Bring the ideas of residents far from the internet into the consultation, "
            "through the relays of the communes."
        ),
        legal_basis=PUBLIC_INTEREST,
        subjects=_("Relays of the communes."),
        recipients=_("The territory's moderators and planners; the ideas become public."),
        retention=kept_anonymous_after_account,
    ),
)
