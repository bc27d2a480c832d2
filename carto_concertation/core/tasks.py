# SPDX-License-Identifier: AGPL-3.0-or-later
"""Tasks Celery beat runs on a schedule (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.core.management import call_command

from .jobs import jobs_stalled_fail


@shared_task
def expired_sessions_clear() -> None:
    """Sessions past their expiry are personal data no one can use any more: Django
    never deletes them by itself."""
    call_command("clearsessions")


@shared_task
def jobs_stalled_fail_task() -> int:
    return jobs_stalled_fail()
