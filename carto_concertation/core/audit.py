# SPDX-License-Identifier: AGPL-3.0-or-later
"""The staff audit journal: who did what, on what, when and from where.

A service records a staff action with ``audit_record`` inside its own transaction (the
entry goes if the write is rolled back). The action codes are declared: the backbone's
with ``audit_actions_register``, a module's in its manifest (``ModuleManifest.
audit_actions``), each with its label in French; an undeclared code is refused. The
request's address and browser come from ``audit_origin_middleware`` (a contextvar, no
query); a Celery job carries them in its params (``audit_origin()`` when the job is
created, ``origin=`` when it records). Recording never makes the write fail: a failure
is logged and the write goes on (AUDIT_STRICT, in the tests, raises instead).
"""

import ipaddress
import logging
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise

from .models import AuditEntry
from .modules import modules

logger = logging.getLogger(__name__)

USER_AGENT_LENGTH = 300

_backbone_actions: dict[str, str | Promise] = {}
# The request being answered: its address, browser and user, read only when recording.
_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def audit_actions_register(actions: Mapping[str, str | Promise]) -> None:
    """Declare backbone action codes (from an AppConfig.ready()) with their labels."""
    _backbone_actions.update(actions)


def audit_actions() -> dict[str, str | Promise]:
    """Every declared action code and its label: the backbone's, then each module's."""
    declared = dict(_backbone_actions)
    for manifest in modules():
        declared.update(manifest.audit_actions)
    return declared


def audit_origin_middleware(get_response: Callable[[HttpRequest], HttpResponse]):
    """Keep the request at hand for ``audit_record`` while it is answered (no query)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return get_response(request)
        finally:
            _request.reset(token)

    return middleware


def audit_origin() -> dict[str, str]:
    """The current request's address and browser, for a Celery job's params."""
    request = _request.get()
    if request is None:
        return {}
    return {
        "ip": _address(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH],
    }


def _address(request: HttpRequest) -> str:
    """The client's whole address, where the rate limits read it (RATELIMIT_IP_META_KEY:
    the server has resolved a trusted proxy's X-Forwarded-For into it); "" when it is no
    address."""
    raw = request.META.get(settings.RATELIMIT_IP_META_KEY, "").split(",")[0].strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return ""


def _actor_of_request():
    request = _request.get()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _target(target: Model | tuple[str, object] | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, Model):
        return target._meta.label_lower, str(target.pk)
    kind, pk = target
    return kind, str(pk)


def audit_record(
    action: str,
    target: Model | tuple[str, object] | None = None,
    *,
    actor=None,
    territory=None,
    role: str = "",
    origin: Mapping[str, str] | None = None,
    **details,
) -> AuditEntry | None:
    """Record a staff action; None when it could not be recorded (the error is logged).

    ``target``: a model instance or (type, id); never text. ``actor``: the request's user
    by default. ``origin``: the address and browser a Celery job carries (audit_origin()),
    the request's otherwise. ``details``: codes and ids only (a state, a format)."""
    if action not in audit_actions():
        error = ImproperlyConfigured(f"Undeclared audit action {action!r}")
        if settings.AUDIT_STRICT:
            raise error
        logger.error("%s", error)
        return None
    try:
        with transaction.atomic():
            return _entry_write(action, target, actor, territory, role, origin, details)
    except Exception:
        if settings.AUDIT_STRICT:
            raise
        logger.exception("Audit entry %s not recorded", action)
        return None


def _entry_write(action, target, actor, territory, role, origin, details) -> AuditEntry:
    actor = actor if actor is not None else _actor_of_request()
    origin = origin if origin is not None else audit_origin()
    target_type, target_id = _target(target)
    return AuditEntry.objects.create(
        actor=actor,
        actor_email=getattr(actor, "email", "") or "",
        role=role,
        action=action,
        target_type=target_type,
        target_id=target_id,
        territory_id=getattr(territory, "pk", territory),
        details=details,
        ip=origin.get("ip") or None,
        user_agent=(origin.get("user_agent") or "")[:USER_AGENT_LENGTH],
    )


def audit_actor_forget(user, *, actions: Iterable[str]) -> int:
    """Blank the e-mail address of ``user``'s entries of these actions (an account
    deleted: what they did as a resident is no staff action the journal must keep them
    for). The number of entries changed."""
    return AuditEntry.objects.filter(actor=user, action__in=list(actions)).update(actor_email="")


def audit_addresses_blank(*, now: datetime | None = None) -> int:
    """Blank the address and browser of the entries older than RETENTION_IP_DAYS; who,
    when and what stay. The number of entries blanked."""
    limit = (now or timezone.now()) - timedelta(days=settings.RETENTION_IP_DAYS)
    old = AuditEntry.objects.filter(at__lt=limit)
    return old.exclude(ip__isnull=True, user_agent="").update(ip=None, user_agent="")


def audit_entries(
    *, action: str = "", actor: str = "", since: date | None = None, until: date | None = None
) -> QuerySet[AuditEntry]:
    """The journal, newest first, filtered by action code, actor's e-mail (part of it)
    and days (both included)."""
    entries = AuditEntry.objects.select_related("territory")
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor_email__icontains=actor)
    zone = timezone.get_current_timezone()
    if since:
        entries = entries.filter(at__gte=datetime.combine(since, time.min, zone))
    if until:
        entries = entries.filter(at__lt=datetime.combine(until + timedelta(days=1), time.min, zone))
    return entries
