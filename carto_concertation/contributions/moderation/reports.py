# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reports: anyone signed in signals what should be moderated."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carto_concertation.engagement.models import Comment, Report
from carto_concertation.engagement.services import reason_clean, report_write

from ..models import Contribution
from ..permissions import signed_in_check
from ..selectors import PUBLIC_STATUSES


@transaction.atomic
def report_create(
    *, reporter, reason: str, contribution: Contribution | None = None, comment=None
) -> Report:
    """Anyone signed in signals a public contribution or comment, once, with a reason."""
    signed_in_check(reporter, _("Sign in to report."))
    reason = reason_clean(reason, required=True, message=_("Say why you report this."))
    if comment is not None:
        if comment.status != Comment.Status.PUBLISHED:
            raise ValidationError({"comment": _("This comment cannot be reported.")})
    elif contribution.status not in PUBLIC_STATUSES:
        raise ValidationError({"contribution": _("This contribution cannot be reported.")})
    target = comment if comment is not None else contribution
    return report_write(target=target, reporter=reporter, reason=reason)
