# SPDX-License-Identifier: AGPL-3.0-or-later
"""The consultation's open dataset: the published results of the map questions per
PLU/PLUi zone — how many markers residents put in each zone, and how many of them carry
each follow-up choice. Aggregated only, as the results page shows them: no answer, no
comment, no respondent is declared, so no public surface can publish one.

Its features (opendata: OGC API, the open files) are the rows of the ``ZoneResult`` view
of the questionnaires residents see (published, where the module is on) whose results
are published; each one's geometry is the zone."""

from collections.abc import Sequence

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import (
    SITE_WIDE,
    DatasetDeclaration,
    FeatureSource,
    PublicField,
    published_moment,
)
from carto_concertation.surveys import MODULE
from carto_concertation.territories.selectors import module_on
from plui_documents.models import Zone
from plui_documents.selectors import current_versions

from .models import Choice, ZoneResult

INTEGER, ARRAY = "integer", "array"
# The results' site-wide tileset (tiles.py): the module has no map of a space's.
TILESET_PREFIX = "consultations-"


def zone_results_open() -> QuerySet[ZoneResult]:
    """The results per zone anyone may read: of a published questionnaire whose results
    are published, where the module is on."""
    return ZoneResult.objects.filter(
        module_on(MODULE, "questionnaire__territory"),
        questionnaire__is_published=True,
        questionnaire__results_published=True,
    ).select_related("questionnaire__zoning_document", "question")


def _zone_names(rows: Sequence[ZoneResult]) -> dict[tuple[int, str], tuple[str, str]]:
    """(document id, LIBELLE) -> (LIBELONG, TYPEZONE) in the documents' current versions."""
    zones = Zone.objects.filter(
        version__in=current_versions(),
        version__document__in={row.questionnaire.zoning_document_id for row in rows},
        libelle__in={row.libelle for row in rows},
    ).order_by("pk")
    names: dict[tuple[int, str], tuple[str, str]] = {}
    for document, libelle, libelong, typezone in zones.values_list(
        "version__document", "libelle", "libelong", "typezone"
    ):
        names.setdefault((document, libelle), (libelong, typezone))
    return names


def _follow_up_choices(rows: Sequence[ZoneResult]) -> dict[int, list[tuple[int, str]]]:
    """Question id -> its markers' follow-up choices (id, label), in their order."""
    choices: dict[int, list[tuple[int, str]]] = {}
    for question, pk, label in (
        Choice.objects.filter(question__in={row.question_id for row in rows}, for_marker=True)
        .order_by("question", "position")
        .values_list("question", "pk", "label")
    ):
        choices.setdefault(question, []).append((pk, label))
    return choices


def zone_result_properties(rows: Sequence[ZoneResult], base_url: str) -> list[dict]:
    names = _zone_names(rows)
    choices = _follow_up_choices(rows)
    answered = []
    for row in rows:
        questionnaire, question = row.questionnaire, row.question
        document = questionnaire.zoning_document
        libelong, typezone = names.get((document.pk, row.libelle), ("", ""))
        answered.append(
            {
                "questionnaire": questionnaire.slug,
                "questionnaire_title": questionnaire.title,
                "question": question.code,
                "question_label": question.label,
                "question_kind": question.kind,
                "libelle": row.libelle,
                "libelong": libelong,
                "typezone": typezone,
                "document": document.idurba,
                "markers": row.markers,
                "follow_up_label": question.marker_choice_label or None,
                "follow_up": [
                    {"label": label, "count": row.by_choice.get(str(pk), 0)}
                    for pk, label in choices.get(question.pk, [])
                ],
                "closes_at": published_moment(questionnaire.closes_at),
                "results_page": base_url + reverse("surveys:results", args=[questionnaire.slug]),
            }
        )
    return answered


RESULTS_PER_ZONE = DatasetDeclaration(
    name="consultations-zones",
    title=_("Consultation results per PLU/PLUi zone"),
    description=_(
        "The published results of the map questions of the territory's consultations, per"
        " zone of the local urban plan: how many places residents marked, lines they drew or"
        " areas they outlined touch each zone (or how many picked it), and how many of them"
        " carry each follow-up choice. Aggregated figures only, no answer and no respondent."
    ),
    geometry_type="MultiPolygon",
    fields=(
        PublicField("questionnaire", _("questionnaire (its address)")),
        PublicField("questionnaire_title", _("questionnaire")),
        PublicField("question", _("question (its code)")),
        PublicField("question_label", _("question")),
        PublicField("question_kind", _("kind of question")),
        PublicField("libelle", _("zone (LIBELLE)")),
        PublicField("libelong", _("zone (LIBELONG)")),
        PublicField("typezone", _("type of zone (TYPEZONE)")),
        PublicField("document", _("document (its IDURBA)")),
        PublicField("markers", _("markers in the zone"), INTEGER),
        PublicField("follow_up_label", _("follow-up question on each marker")),
        PublicField("follow_up", _("markers per follow-up choice"), ARRAY),
        PublicField("closes_at", _("closes at"), "string", "date-time"),
        PublicField("results_page", _("page of the results")),
    ),
    tileset=f"{TILESET_PREFIX}{SITE_WIDE}",
    features=FeatureSource(
        rows=zone_results_open,
        properties=zone_result_properties,
        moment="closes_at",
        territory="questionnaire__territory",
    ),
    keywords=("consultation", "questionnaire", "participation citoyenne", "urbanisme", "zonage"),
)
