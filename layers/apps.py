# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LayersConfig(AppConfig):
    name = "layers"
    label = "layers"
    verbose_name = _("Map layers")

    def ready(self) -> None:
        from carto_concertation.core.jobs import job_attempt_abandoned

        from .staging import staging_job_drop

        # What an import killed mid-way left in the staging schema (layers.staging).
        job_attempt_abandoned.connect(
            lambda sender, job_id, **kwargs: staging_job_drop(job_id),
            weak=False,
            dispatch_uid="layers-staging-job-drop",
        )
