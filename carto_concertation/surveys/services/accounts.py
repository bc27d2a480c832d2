# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the consultation does when an account is deleted (the manifest's
``on_account_deletion``, run in the deletion's transaction)."""

from ..models import Response


def responses_forget(user) -> None:
    """The person's drafts go: no one can resume them any more, and an unfinished
    response is not an answer given. Their submitted responses stay in the results, tied
    to nobody: ``user`` is SET_NULL by the deletion, and the respondent key (a hash of the
    account) is blanked, so nothing links them to the account that was."""
    mine = Response.objects.filter(user=user)
    mine.filter(status=Response.Status.DRAFT).delete()
    mine.update(respondent_key="")
