# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' processing of personal data (record of processing, privacy notice)."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carto_concertation.accounts.processing import PUBLIC_INTEREST, kept_anonymous_after_account
from carto_concertation.core.modules import ProcessingDeclaration


def _retention() -> str:
    return _(
        "The report is kept in the territory's record; the reporter's address is erased "
        "with the account, and the answer links to “is it fixed?” work %(days)s days. "
        "%(account)s"
    ) % {"days": settings.SIGNALEMENTS_FIXED_ANSWER_DAYS, "account": kept_anonymous_after_account()}


PROCESSING = (
    ProcessingDeclaration(
        key="signalements",
        name=gettext_lazy("Reports about public space"),
        data=gettext_lazy(
            "The report (place, category, description, photos), the reporter's e-mail "
            "address and pseudonym, the reports followed."
        ),
        purpose=gettext_lazy(
            "Have the collectivité's services fix what is reported and tell the reporter "
            "and followers where it stands."
        ),
        legal_basis=PUBLIC_INTEREST,
        subjects=gettext_lazy("Residents who report a problem or follow a report."),
        recipients=gettext_lazy(
            "The territory's services handling reports and its moderators; the public map "
            "shows the report without its author's address; applications using Open311."
        ),
        retention=_retention,
    ),
)
