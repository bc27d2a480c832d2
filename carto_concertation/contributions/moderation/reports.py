# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reports: anyone signed in signals what should be moderated."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from carto_concertation.core.text import plain_text

from ..models import Comment, Contribution, Report
from ..permissions import signed_in_check
from ..selectors import PUBLIC_STATUSES
from .common import REASON_MAX


@transaction.atomic
def report_create(
    *, reporter, reason: str, contribution: Contribution | None = None, comment=None
) -> Report:
    """Anyone signed in signals a public contribution or comment, once, with a reason."""
    signed_in_check(reporter, _("Sign in to report."))
    reason = plain_text(reason or "")[:REASON_MAX]
    if not reason:
        raise ValidationError({"reason": _("Say why you report this.")})
    if comment is not None:
        if comment.status != Comment.Status.PUBLISHED:
            raise ValidationError({"comment": _("This comment cannot be reported.")})
    elif contribution.status not in PUBLIC_STATUSES:
        raise ValidationError({"contribution": _("This contribution cannot be reported.")})
    try:
        with transaction.atomic():
            return Report.objects.create(
                reporter=reporter, reason=reason, contribution=contribution, comment=comment
            )
    except IntegrityError as exc:
        raise ValidationError({"reason": _("You have already reported this.")}) from exc
