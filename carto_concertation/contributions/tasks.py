# SPDX-License-Identifier: AGPL-3.0-or-later
from celery import shared_task

# The bilan's task lives with the planning tools; imported here, where the worker looks
# for an app's tasks (Celery's autodiscover_tasks), so that the worker knows it.
from .planning.tasks import bilan_task
from .selectors import contribution_ids_for_document
from .services import contribution_relocate

__all__ = ["bilan_task", "contributions_relocate_task"]


@shared_task
def contributions_relocate_task(document_id: int) -> int:
    """A new version of a PLU/PLUi became current: join again every contribution of the
    concertations on it to the zoning (one short transaction per contribution)."""
    ids = contribution_ids_for_document(document_id=document_id)
    for contribution_id in ids:
        contribution_relocate(contribution_id=contribution_id)
    return len(ids)
