# SPDX-License-Identifier: AGPL-3.0-or-later
"""The results of the map questions per PLU/PLUi zone, as a database view: what the open
data publishes of a consultation (surveys/datasets.py), aggregated, never an answer or a
respondent.

One row per map question and zone LIBELLE of the questionnaire's current zoning, counted
as the results page counts them (selectors/results/maps.py): the counted responses'
markers, a drawn one once in each LIBELLE it touches, a picked zone in its own; with the
count of each follow-up choice, and the LIBELLE's zones as one geometry. The view
(migration 0002) is read, never written; whether a row is public is the selector's
(``datasets.zone_results_open``). A later migration that changes the type of a column it
reads (a zone's ``libelle`` or ``geom``, a marker's ``geom``) drops the view first and
creates it again after (``NEW_VIEW`` in 0003, which leaves a banned account's
response out: ``Response.counted``)."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from .questionnaires import Question, Questionnaire


class ZoneResult(models.Model):
    # A stable number for (question, LIBELLE): 52 bits of their md5, exact in JavaScript.
    id = models.BigIntegerField(primary_key=True)
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        related_name="+",
        on_delete=models.DO_NOTHING,
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), related_name="+", on_delete=models.DO_NOTHING
    )
    libelle = models.CharField("LIBELLE", max_length=12)
    markers = models.IntegerField(_("markers"))
    # {follow-up choice id (text), "" without one: markers}
    by_choice = models.JSONField(_("markers per follow-up choice"))
    closes_at = models.DateTimeField(_("closes at"))
    # The LIBELLE's zones in the current version; None when it has none any more.
    geom = models.MultiPolygonField(_("zone"), srid=settings.SRID, null=True)

    class Meta:
        managed = False
        db_table = "surveys_zoneresult"
        verbose_name = _("result per zone")
        verbose_name_plural = _("results per zone")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.question_id} — {self.libelle}"
