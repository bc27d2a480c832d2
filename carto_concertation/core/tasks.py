# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tasks Celery beat runs on a schedule (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.core.management import call_command

from .audit import audit_addresses_blank
from .jobs import jobs_stalled_fail


@shared_task
def expired_sessions_clear() -> None:
    """Sessions past their expiry are personal data no one can use any more: Django
    never deletes them by itself."""
    call_command("clearsessions")


@shared_task
def audit_addresses_blank_task() -> int:
    """The audit journal's addresses and browsers older than RETENTION_IP_DAYS."""
    return audit_addresses_blank()


@shared_task
def jobs_stalled_fail_task() -> int:
    """Jobs still "running" long after their time limit: their worker died."""
    return jobs_stalled_fail()
