# SPDX-License-Identifier: AGPL-3.0-or-later
"""The figures of a campaign as they came: the history the public page and the API show."""

from django.db.models import QuerySet

from ..models import FundingUpdate, Project


def figures_history(project: Project) -> QuerySet[FundingUpdate]:
    """Each update of the figures of ``project``, the latest first, with its import."""
    return (
        FundingUpdate.objects.filter(project=project)
        .select_related("funding_import")
        .order_by("-created_at", "-pk")
    )
