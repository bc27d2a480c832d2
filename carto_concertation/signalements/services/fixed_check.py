# SPDX-License-Identifier: AGPL-3.0-or-later
""" "Est-ce réparé ?": four weeks (SIGNALEMENTS_FIXED_CHECK_DAYS) after a report is fixed, its
reporter is asked, by e-mail with signed yes and no links (``tasks.report_fixed_check_task``,
daily); "non" reopens the report, "oui" is kept in its history. In the history, the
question is a FIXED_CHECK step without states, the "oui" a FIXED_CHECK step from fixed to
fixed, the "non" a REOPENED step."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Report, ReportUpdate
from ..notifications import (
    fixed_answer_read,
    fixed_answer_url,
    people_tell,
    report_url,
    service_tell,
)
from .workflow import history_write, public_text_clean, report_locked

State = Report.State


def reports_to_check_fixed() -> QuerySet[Report]:
    """Fixed SIGNALEMENTS_FIXED_CHECK_DAYS ago or more, its reporter not asked yet. A report
    whose reporter is gone (account deleted, address forgotten at their request) is
    left alone: its history must not say that someone was asked."""
    since = timezone.now() - timedelta(days=settings.SIGNALEMENTS_FIXED_CHECK_DAYS)
    return (
        Report.objects.filter(
            state=State.FIXED, fixed_at__lte=since, fixed_check_sent_at__isnull=True
        )
        .filter(Q(author__isnull=False) | ~Q(email=""))
        .order_by("pk")
    )


@transaction.atomic
def report_fixed_check(*, report_id: int) -> bool:
    """Ask the reporter of one report "est-ce réparé ?", with signed yes and no links;
    False when it is no longer due (answered, reopened, asked by a run before)."""
    report = (
        reports_to_check_fixed()
        .select_for_update(of=("self",))
        .select_related("author", "category")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return False
    report.fixed_check_sent_at = timezone.now()
    report.save(update_fields=["fixed_check_sent_at"])
    history_write(report, ReportUpdate.Kind.FIXED_CHECK, before="", after="", text="", author=None)
    body = _(
        "Report #%(id)s (%(category)s) was marked fixed four weeks ago. Is it really fixed?\n\n"
        "Yes, it is fixed: %(yes)s\n"
        "No, it is not fixed (the report is reopened): %(no)s\n\n"
        "Read it on its page: %(url)s"
    ) % {
        "id": report.pk,
        "category": report.category.name,
        "yes": fixed_answer_url(report_id=report.pk, fixed=True),
        "no": fixed_answer_url(report_id=report.pk, fixed=False),
        "url": report_url(report),
    }
    people_tell(
        report=report,
        kind="report_fixed_check",
        subject=_("Report #%(id)s: is it fixed?") % {"id": report.pk},
        body=body,
        followers=False,
    )
    return True


def _reporter_check(report: Report, *, user, token: str) -> None:
    if user is not None and user.is_authenticated and report.author_id == user.pk:
        return
    if token and fixed_answer_read(token) == report.pk:
        return
    raise PermissionDenied(_("Only the reporter may say whether it is fixed."))


@transaction.atomic
def report_fixed_answer(
    *, report: Report, fixed: bool, user=None, token: str = "", text: str = ""
) -> ReportUpdate:
    """The reporter's answer to "est-ce réparé ?" (signed in, or by the e-mail's signed
    link). "Oui" is recorded in the history (state fixed to fixed, once); "non" reopens
    the report (ouvert, the service told, the followers too)."""
    locked = report_locked(report)
    _reporter_check(locked, user=user, token=token)
    if locked.state != State.FIXED:
        raise ValidationError({"fixed": _("This report is not marked fixed.")})
    text = public_text_clean(text, required=False)
    author = user if user is not None and user.is_authenticated else None
    if fixed:
        said = locked.updates.filter(
            kind=ReportUpdate.Kind.FIXED_CHECK,
            state_after=State.FIXED,
            created_at__gte=locked.fixed_at,
        ).first()
        if said is not None:
            return said
        return history_write(
            locked,
            ReportUpdate.Kind.FIXED_CHECK,
            before=State.FIXED,
            after=State.FIXED,
            text=text,
            author=author,
        )
    locked.state = State.OPEN
    locked.state_reason = ""
    locked.fixed_at = None
    locked.fixed_check_sent_at = None
    locked.save(
        update_fields=["state", "state_reason", "fixed_at", "fixed_check_sent_at", "updated_at"]
    )
    update = history_write(
        locked,
        ReportUpdate.Kind.REOPENED,
        before=State.FIXED,
        after=State.OPEN,
        text=text,
        author=author,
    )
    lines = [
        _("Report #%(id)s (%(category)s) is not fixed, says its reporter: it is open again.")
        % {"id": locked.pk, "category": locked.category.name}
    ]
    if text:
        lines.append(text)
    lines.append(report_url(locked))
    subject = _("Report #%(id)s reopened") % {"id": locked.pk}
    body = "\n\n".join(lines)
    service_tell(service=locked.service, subject=subject, body=body)
    people_tell(report=locked, kind="report_updates", subject=subject, body=body, reporter=False)
    report.refresh_from_db()
    return update
