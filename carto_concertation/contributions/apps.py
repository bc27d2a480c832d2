# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "carto_concertation.contributions"
    label = "contributions"
    verbose_name = _("Contributions")

    def ready(self) -> None:
        from carto_concertation.core.jobs import job_attempt_abandoned
        from carto_concertation.core.modules import module_register
        from plui_documents.signals import version_made_current

        from .manifest import IDEAS

        module_register(IDEAS)
        version_made_current.connect(_relocate_contributions, dispatch_uid="contributions-relocate")
        # What a bilan's attempt killed mid-way left half-written (planning.bilan).
        job_attempt_abandoned.connect(_bilan_parts_drop, dispatch_uid="contributions-bilan-parts")


def _bilan_parts_drop(sender, job_id: str, **kwargs) -> None:
    from .planning.bilan import bilan_parts_drop

    bilan_parts_drop(job_id)


def _relocate_contributions(sender, version, **kwargs) -> None:
    """A new PLU/PLUi version is current (the transaction has committed): re-join the
    contributions on that document to its zoning, in the worker."""
    from carto_concertation.concertations.models import Concertation

    from .tasks import contributions_relocate_task

    if Concertation.objects.filter(plui_document_id=version.document_id).exists():
        contributions_relocate_task.delay(version.document_id)
