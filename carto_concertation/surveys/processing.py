# SPDX-License-Identifier: AGPL-3.0-or-later
"""The consultation's processing of personal data (record of processing, privacy notice)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carto_concertation.accounts.processing import PUBLIC_INTEREST, account_lifetime
from carto_concertation.core.modules import ProcessingDeclaration


def _retention() -> str:
    return _(
        "Submitted answers stay in the results, tied to nobody once the account goes; "
        "unfinished answers go with the account (%(lifetime)s)"
    ) % {"lifetime": account_lifetime()}


PROCESSING = (
    ProcessingDeclaration(
        key="surveys",
        name=gettext_lazy("Consultation"),
        data=gettext_lazy(
            "Answers to the questionnaires, with what the person drew on their maps."
        ),
        purpose=gettext_lazy(
            "Ask residents' opinion on a project and publish the results, per zone and per commune."
        ),
        legal_basis=PUBLIC_INTEREST,
        recipients=gettext_lazy(
            "The territory's urban planners who organise the questionnaire; the public "
            "results are totals, never one person's answers."
        ),
        retention=_retention,
    ),
)
