# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's background work."""

from collections.abc import Iterator
from contextlib import contextmanager

from celery import shared_task


@contextmanager
def _queued_where_taken(app, queue: str | None) -> Iterator[None]:
    """Tasks sent meanwhile go to ``queue``: the queue this task was taken from, which the
    workers serving the module read (a worker reading only its own queue, as the tests'
    does, then sends the e-mails too)."""
    before = app.conf.task_default_queue
    if queue:
        app.conf.task_default_queue = queue
    try:
        yield
    finally:
        app.conf.task_default_queue = before


@shared_task(bind=True)
def project_news_notify(self, update_id: int) -> int:
    """Tell the followers of a winner of one news of it (queued after the news commits);
    each e-mail goes through accounts.notifications.notify. How many were told."""
    from .models import ProjectUpdate
    from .notifications import project_news_tell

    update = ProjectUpdate.objects.select_related("project__edition").filter(pk=update_id).first()
    if update is None:
        return 0
    queue = (self.request.delivery_info or {}).get("routing_key")
    with _queued_where_taken(self.app, queue):
        return project_news_tell(update)
