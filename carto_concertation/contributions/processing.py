# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas' processing of personal data (record of processing, privacy notice)."""

from django.utils.translation import gettext_lazy as _

from carto_concertation.accounts.processing import PUBLIC_INTEREST, kept_anonymous_after_account
from carto_concertation.core.modules import ProcessingDeclaration

PROCESSING = (
    ProcessingDeclaration(
        key="ideas",
        name=_("Ideas on the map"),
        data=_(
            "Contributions (text, place, photos), comments, votes, reports of content, "
            "ideas followed, with the pseudonym of their author."
        ),
        purpose=_(
            "Gather residents' ideas on a project of the territory, answer them in "
            "public and weigh them in the decision."
        ),
        legal_basis=PUBLIC_INTEREST,
        recipients=_(
            "Public: what is published, under the pseudonym (votes are counted, never "
            "listed). The territory's moderators and urban planners; the open data "
            "without any name."
        ),
        retention=kept_anonymous_after_account,
    ),
)
