# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reading a person's response back: their draft or submitted response, and its answers
as the payload they were given in (to resume a draft, to fill a page again)."""

import json

from django.db.models import Prefetch

from carto_concertation.core.wgs84 import wgs84

from ..models import Answer, AnswerFeature, Question, Questionnaire, Response

Kind = Question.Kind


def response_of(questionnaire: Questionnaire, key: str) -> Response | None:
    """The response of the person whose respondent key this is, if any."""
    return Response.objects.filter(questionnaire=questionnaire, respondent_key=key).first()


def _number(answer: Answer) -> int | float | None:
    if answer.number is None:
        return None
    if answer.question.kind == Kind.SCALE or answer.number == answer.number.to_integral_value():
        return int(answer.number)
    return float(answer.number)


def _feature(feature: AnswerFeature) -> dict:
    geom = wgs84(feature.geom) if feature.geom is not None else None
    properties: dict = {"choice": feature.marker_choice_id, "comment": feature.comment}
    if feature.zone_id or feature.commune_id:
        properties["id"] = feature.zone_id or feature.commune_id
    return {
        "type": "Feature",
        "geometry": json.loads(geom.geojson) if geom is not None else None,
        "properties": properties,
    }


def answer_value(answer: Answer):
    """One stored answer as its payload value (docs/surveys.md, "Answering")."""
    kind = answer.question.kind
    choices = sorted(answer.choices.all(), key=lambda c: (c.rank or 0, c.choice.position))
    ids = [c.choice_id for c in choices]
    other = [{"other": answer.text}] if answer.text else []
    if kind == Kind.SINGLE:
        return ids[0] if ids else {"other": answer.text}
    if kind in (Kind.MULTIPLE, Kind.RANKING):
        return ids + other
    if kind in Question.TEXT_KINDS:
        return answer.text
    if kind in (Kind.SCALE, Kind.NUMBER):
        return _number(answer)
    if kind == Kind.DATE:
        return answer.date.isoformat() if answer.date else None
    features = [_feature(f) for f in answer.features.all()]
    if kind in Question.PICK_KINDS:
        return [{"id": f["properties"]["id"], **f["properties"]} for f in features]
    return {"type": "FeatureCollection", "features": features}


def response_payload(response: Response) -> dict:
    """A response's answers as a payload ``{code: value}``."""
    answers = response.answers.select_related("question").prefetch_related(
        "choices__choice",
        Prefetch("features", queryset=AnswerFeature.objects.order_by("position")),
    )
    return {answer.question.code: answer_value(answer) for answer in answers}
