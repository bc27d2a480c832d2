# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Celery application: Redis broker, JSON only, retries on transient errors."""

import os

import redis.exceptions
from celery import Celery, Task
from django.db import InterfaceError, OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carto_concertation.settings")

# Errors that a retry a few seconds later can cure: a database restart, a Redis failover.
TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    ConnectionError,
    TimeoutError,
)


class RetryingTask(Task):
    """Base task: retried with exponential backoff on transient errors only."""

    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 2
    retry_backoff_max = 120
    retry_jitter = True
    max_retries = 5


app = Celery("carto_concertation", task_cls=RetryingTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
