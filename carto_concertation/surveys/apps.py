# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "carto_concertation.surveys"
    label = "surveys"
    verbose_name = _("Consultation")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from carto_concertation.core.changes import tileset_changed
        from carto_concertation.core.modules import module_register

        from .changes import (
            choice_changed,
            question_changed,
            questionnaire_changed,
            response_saved,
            zoning_changed,
        )
        from .manifest import SURVEYS
        from .models import Choice, Question, Questionnaire, Response

        module_register(SURVEYS)
        # Whatever service writes them, the results' tiles hear of it (changes.py).
        for signal in (post_save, post_delete):
            for model, listener in (
                (Questionnaire, questionnaire_changed),
                (Question, question_changed),
                (Choice, choice_changed),
                (Response, response_saved),
            ):
                signal.connect(listener, sender=model, dispatch_uid=f"surveys-{model}-map")
        tileset_changed.connect(zoning_changed, dispatch_uid="surveys-zoning")
