# SPDX-License-Identifier: AGPL-3.0-or-later
"""The consultation's section of "download my data" (declared in the manifest): the
person's own responses (signed in, ``Response.user``), each with its answers; the points,
lines and areas they drew also as GeoJSON features. Picked zones and communes are named in
the records (their outlines are public data, not the person's). Anonymous responses
(one-time link, device) and a relay's entries name nobody, so they are in no one's data."""

import json

from django.db.models import Prefetch

from carto_concertation.accounts.export import ExportSection, iso, wgs84_geojson

from .models import Answer, AnswerChoice, AnswerFeature, Response


def _answer(answer: Answer) -> dict:
    choices = sorted(answer.choices.all(), key=lambda c: (c.rank or 0, c.choice.position))
    return {
        "question": answer.question.code,
        "label": answer.question.label,
        "kind": answer.question.kind,
        "choices": [
            {"choice": c.choice.label, **({"rank": c.rank} if c.rank else {})} for c in choices
        ],
        "text": answer.text,
        "number": str(answer.number) if answer.number is not None else None,
        "date": answer.date.isoformat() if answer.date else None,
        "markers": [_marker(feature) for feature in answer.features.all()],
    }


def _marker(feature: AnswerFeature) -> dict:
    return {
        "position": feature.position,
        "zone": feature.zone.libelle if feature.zone_id else None,
        "commune": feature.commune.name if feature.commune_id else None,
        "follow_up": feature.marker_choice.label if feature.marker_choice_id else None,
        "comment": feature.comment,
    }


def responses_section(user) -> ExportSection:
    features_of = (
        AnswerFeature.objects.select_related("zone", "commune", "marker_choice")
        .annotate(geometry=wgs84_geojson("geom"))
        .order_by("position")
    )
    answers = Answer.objects.select_related("question__page").prefetch_related(
        Prefetch("choices", queryset=AnswerChoice.objects.select_related("choice")),
        Prefetch("features", queryset=features_of),
    )
    rows = (
        Response.objects.filter(user=user)
        .select_related("questionnaire")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("started_at", "pk")
    )
    records, located = [], []
    for response in rows:
        given = sorted(
            response.answers.all(), key=lambda a: (a.question.page.position, a.question.position)
        )
        records.append(
            {
                "questionnaire": response.questionnaire.slug,
                "title": response.questionnaire.title,
                "status": response.status,
                "channel": response.channel,
                "started_at": iso(response.started_at),
                "submitted_at": iso(response.submitted_at),
                "answers": [_answer(answer) for answer in given],
            }
        )
        located += [
            {
                "type": "Feature",
                "geometry": json.loads(feature.geometry),
                "properties": {
                    "questionnaire": response.questionnaire.slug,
                    "question": answer.question.code,
                    **_marker(feature),
                },
            }
            for answer in given
            for feature in answer.features.all()
            if feature.geometry
        ]
    return ExportSection(name="survey_responses", records=records, features=located)
