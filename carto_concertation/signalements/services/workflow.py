# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the services do with a report once filed (state changes, re-routing, duplicates),
and what its reporter answers ("est-ce réparé ?"). One transaction each, the report's row
locked; a ``ValidationError`` names the field, a ``PermissionDenied`` writes nothing.
Following a report ("me too") is ``services/following.py``, "est-ce réparé ?"
``services/fixed_check.py``.

The moves between states (docs/signalements.md, "Workflow"):

- forward along ouvert → pris en compte → en cours, steps may be skipped;
- from any of those to résolu, non résolu (a reason) or hors compétence (the body to
  contact);
- back: en cours → pris en compte (the work paused), and a closed report (résolu, non
  résolu, hors compétence) back to pris en compte or en cours (closed by mistake, or the
  work did not hold). Never back to ouvert (the reporter's "non" alone reopens it: it
  restarts the wait for the service), never out of doublon, never to non confirmé;
- the same open state again posts a public update without a change;
- doublon is ``report_mark_duplicate``'s alone: it needs the original."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carto_concertation.core.audit import audit_record
from carto_concertation.core.text import plain_text

from ..models import Report, ReportFollower, ReportUpdate, Service
from ..notifications import (
    people_tell,
    report_url,
    service_tell,
)

State = Report.State

_FORWARD = {
    State.OPEN: {State.ACKNOWLEDGED, State.IN_PROGRESS},
    State.ACKNOWLEDGED: {State.IN_PROGRESS},
    State.IN_PROGRESS: {State.ACKNOWLEDGED},
}
_CLOSING = {State.FIXED, State.NOT_FIXED, State.NOT_RESPONSIBLE}
ALLOWED_MOVES: dict[str, set[str]] = {
    **{state: {state, *_FORWARD[state], *_CLOSING} for state in Report.OPEN_STATES},
    **{state: {State.ACKNOWLEDGED, State.IN_PROGRESS} for state in _CLOSING},
}
_NEEDS_REASON = {State.NOT_FIXED, State.NOT_RESPONSIBLE}
TEXT_MAX = 3000
REASON_MAX = 1000


def report_locked(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",)).select_related("service").get(pk=report.pk)
    )


def _act_check(actor, report: Report) -> None:
    if actor is None or not actor.has_perm("signalements.act", report):
        raise PermissionDenied(_("Only the service this report is sent to may act on it."))


def public_text_clean(text: str, *, required: bool) -> str:
    """The public text as typed (core.text.plain_text: no control character, no NUL)."""
    text = plain_text(text)
    if required and not text:
        raise ValidationError({"text": _("Write the public text of this update.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": _("At most %(n)s characters.") % {"n": TEXT_MAX}})
    return text


def history_write(
    report: Report, kind: str, *, before: str, after: str, text: str, author
) -> ReportUpdate:
    """A step of the report's history, its service unchanged (re-routing writes its own)."""
    return ReportUpdate.objects.create(
        report=report,
        kind=kind,
        state_before=before,
        state_after=after,
        service_before=report.service,
        service_after=report.service,
        text=text,
        author=author,
    )


def _audit(action: str, report: Report, actor, **details) -> None:
    """A step of the workflow in the staff audit journal: codes and ids, no text."""
    audit_record(action, report, actor=actor, territory=report.territory_id, **details)


def _state_label(state: str) -> str:
    return str(State(state).label)


def _state_notice(report: Report, text: str) -> tuple[str, str]:
    lines = [
        _("Report #%(id)s (%(category)s) is now: %(state)s.")
        % {"id": report.pk, "category": report.category.name, "state": _state_label(report.state)}
    ]
    if report.state_reason:
        lines.append(report.state_reason)
    if text:
        service = report.service.name if report.service_id else _("The services")
        lines.append(_("%(service)s:\n%(text)s") % {"service": service, "text": text})
    lines.append(_("Read it on its page: %(url)s") % {"url": report_url(report)})
    subject = _("Report #%(id)s: %(state)s") % {
        "id": report.pk,
        "state": _state_label(report.state),
    }
    return subject, "\n\n".join(lines)


def _state_move(*, report: Report, actor, state: str, text: str, reason: str) -> ReportUpdate:
    """The move itself, on a locked row, checks first: what the single and the bulk
    change share."""
    _act_check(actor, report)
    if state not in State.values:
        raise ValidationError({"state": _("Unknown state.")})
    if report.state == State.UNCONFIRMED:
        raise ValidationError({"state": _("This report is not confirmed yet.")})
    if state == State.DUPLICATE:
        raise ValidationError({"state": _("Mark it a duplicate of the original report.")})
    if state not in ALLOWED_MOVES.get(report.state, set()):
        raise ValidationError(
            {
                "state": _("A report cannot go from “%(before)s” to “%(after)s”.")
                % {"before": _state_label(report.state), "after": _state_label(state)}
            }
        )
    text = public_text_clean(text, required=True)
    reason = plain_text(reason)
    if state in _NEEDS_REASON:
        if not reason:
            message = (
                _("Say why it is not fixed.")
                if state == State.NOT_FIXED
                else _("Name the body to contact.")
            )
            raise ValidationError({"reason": message})
        if len(reason) > REASON_MAX:
            raise ValidationError({"reason": _("At most %(n)s characters.") % {"n": REASON_MAX}})
    else:
        reason = ""

    before = report.state
    now = timezone.now()
    report.state = state
    report.state_reason = reason
    if state != State.OPEN and report.acknowledged_at is None:
        # Answered at all: taken into account, for the medians and the SLA.
        report.acknowledged_at = now
    if state == State.FIXED:
        report.fixed_at = now
    elif before == State.FIXED:
        # Not fixed after all: the four weeks of "est-ce réparé ?" start again at the next.
        report.fixed_at = None
        report.fixed_check_sent_at = None
    report.save(
        update_fields=[
            "state",
            "state_reason",
            "acknowledged_at",
            "fixed_at",
            "fixed_check_sent_at",
            "updated_at",
        ]
    )
    update = history_write(
        report, ReportUpdate.Kind.STATE, before=before, after=state, text=text, author=actor
    )
    _audit("signalements.state_changed", report, actor, before=before, after=state)
    subject, body = _state_notice(report, text)
    people_tell(report=report, kind="report_updates", subject=subject, body=body, leave_out=actor)
    return update


@transaction.atomic
def report_state_change(
    *, report: Report, actor, state: str, text: str, reason: str = ""
) -> ReportUpdate:
    """Move a report to ``state`` with a public ``text`` (and the ``reason`` of a "non
    résolu" or the body to contact of a "hors compétence"); the reporter and the
    followers are told."""
    locked = report_locked(report)
    update = _state_move(report=locked, actor=actor, state=state, text=text, reason=reason)
    report.refresh_from_db()
    return update


@transaction.atomic
def reports_state_change_bulk(
    *, reports, actor, state: str, text: str, reason: str = ""
) -> list[ReportUpdate]:
    """The same move for several reports: all or none (a report that may not move names
    itself in the error on ``reports``, and nothing is written nor sent)."""
    ids = sorted({report.pk for report in reports})
    if not ids:
        raise ValidationError({"reports": _("Choose at least one report.")})
    # Locked in the order of their ids: two bulk changes never wait on each other.
    locked = list(
        Report.objects.select_for_update(of=("self",))
        .select_related("service")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    updates = []
    for report in locked:
        try:
            updates.append(
                _state_move(report=report, actor=actor, state=state, text=text, reason=reason)
            )
        except ValidationError as error:
            fields = error.message_dict
            if set(fields) <= {"text", "reason"}:
                raise
            messages = [message for values in fields.values() for message in values]
            raise ValidationError(
                {"reports": [f"#{report.pk}: {message}" for message in messages]}
            ) from error
    return updates


@transaction.atomic
def report_reroute(*, report: Report, actor, service: Service, text: str = "") -> ReportUpdate:
    """Send a report to another service of its territory; the history keeps both, and the
    new service is e-mailed a link to it."""
    locked = report_locked(report)
    _act_check(actor, locked)
    if service is None or service.territory_id != locked.territory_id:
        raise ValidationError({"service": _("Choose a service of this report's territory.")})
    if service.pk == locked.service_id:
        raise ValidationError({"service": _("The report is already sent to this service.")})
    if locked.state == State.UNCONFIRMED:
        raise ValidationError({"service": _("This report is not confirmed yet.")})
    text = public_text_clean(text, required=False)
    before = locked.service
    locked.service = service
    locked.save(update_fields=["service", "updated_at"])
    _audit(
        "signalements.rerouted",
        locked,
        actor,
        service_before=before.pk if before else None,
        service_after=service.pk,
    )
    update = ReportUpdate.objects.create(
        report=locked,
        kind=ReportUpdate.Kind.REROUTED,
        state_before=locked.state,
        state_after=locked.state,
        service_before=before,
        service_after=service,
        text=text,
        author=actor,
    )
    lines = [
        _("Report #%(id)s (%(category)s, %(place)s) is now yours to handle, sent by %(by)s.")
        % {
            "id": locked.pk,
            "category": locked.category.name,
            "place": locked.address or (locked.commune.name if locked.commune_id else ""),
            "by": before.name if before else _("the triage"),
        },
        locked.description,
    ]
    if text:
        lines.append(text)
    lines.append(report_url(locked))
    service_tell(
        service=service,
        subject=_("Report #%(id)s sent to your service") % {"id": locked.pk},
        body="\n\n".join(lines),
    )
    report.refresh_from_db()
    return update


def _followers_move(*, twin: Report, original: Report) -> None:
    """The twin's followers, and its reporter, follow the original, once each; nobody
    follows their own report."""
    users = set(original.followers.exclude(user=None).values_list("user_id", flat=True))
    addresses = {
        e.lower() for e in original.followers.filter(user=None).values_list("email", flat=True)
    }
    if original.author_id:
        users.add(original.author_id)
    elif original.email:
        addresses.add(original.email.lower())
    if twin.author_id and twin.author_id not in users:
        ReportFollower.objects.create(report=original, user_id=twin.author_id)
        users.add(twin.author_id)
    elif not twin.author_id and twin.email and twin.email.lower() not in addresses:
        ReportFollower.objects.create(report=original, email=twin.email.lower())
        addresses.add(twin.email.lower())
    for follower in twin.followers.all():
        if follower.user_id is not None and follower.user_id not in users:
            users.add(follower.user_id)
        elif follower.user_id is None and follower.email.lower() not in addresses:
            addresses.add(follower.email.lower())
        else:
            follower.delete()
            continue
        follower.report = original
        follower.save(update_fields=["report"])


@transaction.atomic
def report_mark_duplicate(
    *, report: Report, actor, original: Report, text: str = ""
) -> ReportUpdate:
    """Close a report as a twin of ``original`` (same territory, neither a duplicate);
    its reporter and followers are told, then follow the original."""
    if original is None or original.pk == report.pk:
        raise ValidationError({"original": _("Choose another report as the original.")})
    # Both rows locked, in the order of their ids (two agents merging crosswise wait).
    rows = {
        row.pk: row
        for row in Report.objects.select_for_update(of=("self",))
        .select_related("service", "category")
        .filter(pk__in=[report.pk, original.pk])
        .order_by("pk")
    }
    twin, first = rows[report.pk], rows[original.pk]
    _act_check(actor, twin)
    if first.territory_id != twin.territory_id:
        raise ValidationError(
            {"original": _("The original must be a report of the same territory.")}
        )
    if first.state in (State.DUPLICATE, State.UNCONFIRMED):
        raise ValidationError(
            {"original": _("The original must be a confirmed report, not a duplicate.")}
        )
    if not first.is_public or first.is_hidden:
        # The twin's people will follow it: they must be allowed to read it.
        raise ValidationError({"original": _("The original must be a public report.")})
    if twin.state in (State.DUPLICATE, State.UNCONFIRMED):
        raise ValidationError({"state": _("This report cannot be marked a duplicate.")})
    text = public_text_clean(text, required=False)
    before = twin.state
    twin.state = State.DUPLICATE
    twin.state_reason = ""
    twin.duplicate_of = first
    twin.save(update_fields=["state", "state_reason", "duplicate_of", "updated_at"])
    _audit("signalements.duplicate", twin, actor, before=before, original=first.pk)
    update = history_write(
        twin,
        ReportUpdate.Kind.DUPLICATE,
        before=before,
        after=State.DUPLICATE,
        text=text,
        author=actor,
    )
    lines = [
        _("Report #%(id)s is a duplicate of report #%(original)s: you will hear of that one now.")
        % {"id": twin.pk, "original": first.pk}
    ]
    if text:
        lines.append(text)
    lines.append(_("Read it on its page: %(url)s") % {"url": report_url(first)})
    people_tell(
        report=twin,
        kind="report_updates",
        subject=_("Report #%(id)s: duplicate of #%(original)s")
        % {"id": twin.pk, "original": first.pk},
        body="\n\n".join(lines),
        leave_out=actor,
        stop_on=first,
    )
    _followers_move(twin=twin, original=first)
    report.refresh_from_db()
    return update
