# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's processing of personal data (record of processing, privacy
notice)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carto_concertation.accounts.processing import PUBLIC_INTEREST, kept_anonymous_after_account
from carto_concertation.core.modules import ProcessingDeclaration


def _retention() -> str:
    return _(
        "Ballots: the tie between a ballot and its voter is cut when the vote ends; the "
        "choices stay counted. Projects and supports: %(account)s"
    ) % {"account": kept_anonymous_after_account()}


PROCESSING = (
    ProcessingDeclaration(
        key="budgets",
        name=gettext_lazy("Participatory budget"),
        data=gettext_lazy(
            "Projects proposed (text, place, photos), supports, the ballot and the voter's "
            "declaration of age and district."
        ),
        purpose=gettext_lazy(
            "Collect projects, hold the vote of the participatory budget once per voter, "
            "and follow the winning projects."
        ),
        legal_basis=PUBLIC_INTEREST,
        recipients=gettext_lazy(
            "Public: the projects under their author's pseudonym and the results; the "
            "territory's planners and moderators. No one sees a person's ballot."
        ),
        retention=_retention,
    ),
)
