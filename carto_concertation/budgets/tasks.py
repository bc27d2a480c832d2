# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's background work."""

from celery import shared_task

from .services.ballots import ballots_seal_closed


@shared_task
def ballots_seal_closed_task() -> int:
    """Erase the voter keys of the editions whose vote has ended (services/ballots.py)."""
    return ballots_seal_closed()
