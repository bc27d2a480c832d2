# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's background work."""

from celery import shared_task


@shared_task
def project_news_notify(update_id: int) -> int:
    """Tell the followers of a winner of one news of it (queued after the news commits)."""
    from .models import ProjectUpdate
    from .notifications import project_news_tell

    update = ProjectUpdate.objects.select_related("project__edition").filter(pk=update_id).first()
    return project_news_tell(update) if update is not None else 0
