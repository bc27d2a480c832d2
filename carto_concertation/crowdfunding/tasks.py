# SPDX-License-Identifier: AGPL-3.0-or-later
"""The crowdfunding portal's background work: the campaigns' clock (beat, hourly)."""

from celery import shared_task

from .services.campaign import campaigns_advance


@shared_task
def campaigns_advance_task() -> dict[str, int]:
    """Open the campaigns whose start has come, close those whose end has passed
    (services/campaign.py); how many of each."""
    return campaigns_advance()
