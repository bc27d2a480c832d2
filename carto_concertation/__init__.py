# SPDX-License-Identifier: AGPL-3.0-or-later
"""carto-concertation: map-based citizen participation for French territories."""

from .celery import app as celery_app

__all__ = ("celery_app",)
