# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the exports of a questionnaire's answers hold, and nothing more: the submitted
responses, each under a number (its rank in the order of submission, not its id), its
channel and the day it was submitted, and its answers by question.

No export names a person: neither the account, e-mail, pseudonym or respondent key of a
response, nor who typed a paper answer in, nor a time finer than the day (a time of day
and a channel could single out the one who answered in a given workshop). These reads
are the single list of what goes out; the tests search the bytes for the rest.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from ..models import Answer, AnswerChoice, Question, Questionnaire, Response
from .questionnaires import questionnaire_questions

Kind = Question.Kind
# Responses read per round of queries (their answers, choices and markers): what one
# export holds in memory at a time besides the list of submitted responses.
CHUNK_RESPONSES = 500
# GeoPackage table names SQLite and the GeoPackage standard keep for themselves.
_RESERVED_PREFIXES = ("gpkg_", "rtree_", "sqlite_")


@dataclass
class AnswerValues:
    """One answer, every value it may hold spelt out (labels, not ids)."""

    choices: list[str] = field(default_factory=list)
    text: str = ""
    number: Decimal | None = None
    date: datetime.date | None = None
    # Map answers: the WKT (WGS84) of the drawn markers, the names of the picked zones or
    # communes, and per marker (in order) its follow-up choice and comment.
    wkt: str = ""
    picks: list[str] = field(default_factory=list)
    followups: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


@dataclass
class ExportRow:
    number: int
    channel: str
    submitted_on: datetime.date
    answers: dict[int, AnswerValues]


@dataclass(frozen=True)
class ExportColumn:
    """A column of the CSV: its name, and which value of which question it holds
    (``part`` among value, other, followup, comment); the first three have no question."""

    name: str
    question: Question | None = None
    part: str = "value"


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name_2``, ``name_3``… when a column or layer already has it (the
    database does not hold codes unique per questionnaire, and ``a_other`` may be both a
    question's code and question ``a``'s "other" column)."""
    unique, n = name, 1
    while unique in taken:
        n += 1
        unique = f"{name}_{n}"
    taken.add(unique)
    return unique


def export_columns(questions: list[Question]) -> list[ExportColumn]:
    """The response's number, channel and day, then per question (in the questionnaire's
    order) its code; ``<code>_other`` for a choice with an "other" box; for a map
    question ``<code>_followup`` and ``<code>_comment`` when its markers carry them."""
    taken: set[str] = set()
    columns = [
        ExportColumn(_unique(name, taken)) for name in ("response", "channel", "submitted_on")
    ]
    for question in questions:
        columns.append(ExportColumn(_unique(question.code, taken), question))
        if question.with_other and question.kind in (Kind.SINGLE, Kind.MULTIPLE):
            columns.append(
                ExportColumn(_unique(f"{question.code}_other", taken), question, "other")
            )
        if question.is_map:
            if any(choice.for_marker for choice in question.choices.all()):
                name = _unique(f"{question.code}_followup", taken)
                columns.append(ExportColumn(name, question, "followup"))
            if question.marker_comment:
                name = _unique(f"{question.code}_comment", taken)
                columns.append(ExportColumn(name, question, "comment"))
    return columns


def _submitted(questionnaire: Questionnaire) -> list[tuple[int, str, datetime.date]]:
    """The counted responses in the order of submission: (id, channel, local day)."""
    rows = (
        Response.objects.counted()
        .filter(questionnaire=questionnaire)
        .order_by("submitted_at", "pk")
        .values_list("pk", "channel", "submitted_at")
    )
    return [(pk, channel, timezone.localdate(moment)) for pk, channel, moment in rows]


# Per map answer of some responses: its drawn markers collected in one geometry (a
# MULTIPOINT, MULTILINESTRING or MULTIPOLYGON, a GEOMETRYCOLLECTION when they mix or are
# multi themselves) in WGS84, the picked zones' LIBELLE or communes' "name (INSEE)", and
# each marker's follow-up choice and comment, all in the markers' order.
_MARKERS = """
SELECT f.answer_id,
       ST_AsText(ST_Transform(ST_Collect(f.geom ORDER BY f.position), 4326), 7),
       array_remove(array_agg(
           coalesce(z.libelle, co.name || ' (' || co.insee || ')') ORDER BY f.position
       ), NULL),
       array_agg(coalesce(ch.label, '') ORDER BY f.position),
       array_agg(f.comment ORDER BY f.position)
FROM surveys_answerfeature f
JOIN surveys_answer a ON a.id = f.answer_id
LEFT JOIN plui_documents_zone z ON z.id = f.zone_id
LEFT JOIN territories_commune co ON co.id = f.commune_id
LEFT JOIN surveys_choice ch ON ch.id = f.marker_choice_id
WHERE a.response_id = ANY(%s)
GROUP BY f.answer_id
"""


def _answers(response_ids: list[int]) -> dict[int, dict[int, AnswerValues]]:
    """{response id: {question id: its values}} for these responses."""
    by_answer: dict[int, AnswerValues] = {}
    by_response: dict[int, dict[int, AnswerValues]] = defaultdict(dict)
    answers = Answer.objects.filter(response_id__in=response_ids).values_list(
        "pk", "response_id", "question_id", "text", "number", "date"
    )
    for pk, response_id, question_id, text, number, day in answers:
        values = AnswerValues(text=text, number=number, date=day)
        by_answer[pk] = by_response[response_id][question_id] = values
    # A ranking's choices in its order (rank 1 first); the others in the question's.
    held = (
        AnswerChoice.objects.filter(answer__response_id__in=response_ids)
        .order_by("answer_id", "rank", "choice__position")
        .values_list("answer_id", "choice__label")
    )
    for answer_id, label in held:
        by_answer[answer_id].choices.append(label)
    with connection.cursor() as cursor:
        cursor.execute(_MARKERS, [response_ids])
        for answer_id, wkt, picks, followups, comments in cursor.fetchall():
            values = by_answer[answer_id]
            values.wkt, values.picks = wkt or "", picks
            values.followups, values.comments = followups, comments
    return by_response


def export_rows(questionnaire: Questionnaire) -> Iterator[ExportRow]:
    """The submitted responses in the order of submission, numbered from 1, with their
    answers by question id; read CHUNK_RESPONSES at a time."""
    submitted = _submitted(questionnaire)
    for start in range(0, len(submitted), CHUNK_RESPONSES):
        chunk = submitted[start : start + CHUNK_RESPONSES]
        answers = _answers([pk for pk, _channel, _day in chunk])
        for offset, (pk, channel, day) in enumerate(chunk):
            yield ExportRow(start + offset + 1, channel, day, answers.get(pk, {}))


def export_map_questions(questionnaire: Questionnaire) -> list[Question]:
    """The map questions, in the questionnaire's order: one GeoPackage layer each."""
    return [question for question in questionnaire_questions(questionnaire) if question.is_map]


def export_layer_names(questions: list[Question]) -> list[str]:
    """A GeoPackage layer name per map question: its code, unique, and never one of the
    names SQLite or the GeoPackage standard keep."""
    taken: set[str] = set()
    names = []
    for question in questions:
        name = question.code
        if name.lower().startswith(_RESERVED_PREFIXES):
            name = f"q_{name}"
        names.append(_unique(name, taken))
    return names


# The OGR geometry type of a map question's layer: one marker is one feature.
LAYER_GEOMETRY = {
    Kind.POINTS: "POINT",
    Kind.LINE: "LINESTRING",
    Kind.AREA: "POLYGON",
    Kind.ZONES: "MULTIPOLYGON",
    Kind.COMMUNES: "MULTIPOLYGON",
}
# What a marker adds to its layer: a picked zone's CNIG fields, a picked commune's code
# and name; a drawn marker is its geometry.
_PICKED = {
    Kind.ZONES: (
        "z.libelle AS zone_libelle, z.libelong AS zone_libelong, z.typezone AS zone_typezone,",
        "z.geom",
        "JOIN plui_documents_zone z ON z.id = f.zone_id",
    ),
    Kind.COMMUNES: (
        "co.insee AS commune_insee, co.name AS commune_name,",
        "co.geom",
        "JOIN territories_commune co ON co.id = f.commune_id",
    ),
}

_LAYER = """
WITH numbered AS (
    SELECT r.id, row_number() OVER (ORDER BY r.submitted_at, r.id) AS number
    FROM surveys_response r
    WHERE r.questionnaire_id = %(questionnaire)s AND r.status = %(submitted)s AND r.counted
)
SELECT n.number AS response,
       row_number() OVER (PARTITION BY f.answer_id ORDER BY f.position)::integer AS marker,
       {picked}
       ch.label AS followup,
       nullif(f.comment, '') AS comment,
       {geom} AS geom
FROM surveys_answerfeature f
JOIN surveys_answer a ON a.id = f.answer_id
JOIN numbered n ON n.id = a.response_id
LEFT JOIN surveys_choice ch ON ch.id = f.marker_choice_id
{join}
WHERE a.question_id = %(question)s {drawn}
ORDER BY n.number, f.position
"""


def export_layer_sql(*, question: Question) -> str:
    """The markers of a map question, one row each, for ogr2ogr: the response's number
    (as in the CSV), the marker's rank in its answer, the picked zone's or commune's
    fields, the follow-up choice's label and the comment; the geometry in the storage
    SRID (settings.SRID)."""
    picked, geom, join = _PICKED.get(question.kind, ("", "f.geom", ""))
    sql = _LAYER.format(
        picked=picked,
        geom=geom,
        join=join,
        drawn="" if join else "AND f.geom IS NOT NULL",
    )
    params = {
        "questionnaire": question.page.questionnaire_id,
        "submitted": str(Response.Status.SUBMITTED),
        "question": question.pk,
    }
    return connection.ops.compose_sql(sql, params)


def export_questionnaire(slug: str) -> Questionnaire | None:
    """A questionnaire by its slug, draft or published (organisers export both)."""
    return Questionnaire.objects.select_related("territory").filter(slug=slug).first()


def export_submitted_count(questionnaire: Questionnaire) -> int:
    """How many responses an export holds: the counted ones (drafts and a banned
    account's are left out)."""
    return questionnaire.responses.counted().count()
