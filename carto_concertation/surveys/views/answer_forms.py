# SPDX-License-Identifier: AGPL-3.0-or-later
"""A page of a questionnaire as a plain HTML form: its fields read into the payload the
services check (``page_values``), and each question's state for the template
(``question_rows``). Map questions keep the map widget's contract (docs/surveys.md): a
hidden ``<code>-geojson`` the widget fills, and the list alternative, used when the
page ran without JavaScript (``<code>-list`` is posted from a ``<noscript>``) or when the
widget left the GeoJSON empty."""

import json
from dataclasses import dataclass, field

from django.contrib.gis.geos import GEOSGeometry, LineString, MultiPolygon, Polygon
from django.http import QueryDict
from django.utils.translation import gettext as _

from carto_concertation.core.wgs84 import wgs84

from ..models import Question, Questionnaire
from ..selectors.questionnaires import questionnaire_communes, questionnaire_zones

Kind = Question.Kind
# The list alternative's slots: markers of a points question without a maximum, places
# along a line (start, via…, end).
POINT_SLOTS = 5
LINE_SLOTS = 6


@dataclass(frozen=True)
class Place:
    """A commune (``c<id>``) or a PLU/PLUi zone (``z<id>``) offered by the list
    alternative, with its outline and a point inside it (storage SRID)."""

    key: str
    label: str
    geom: GEOSGeometry
    point: GEOSGeometry


def places_of(questionnaire: Questionnaire) -> dict[str, Place]:
    places = {}
    for commune in questionnaire_communes(questionnaire).only("pk", "name", "geom"):
        places[f"c{commune.pk}"] = Place(
            f"c{commune.pk}", commune.name, commune.geom, commune.geom.point_on_surface
        )
    for zone in questionnaire_zones(questionnaire).only("pk", "libelle", "libelong", "geom"):
        label = f"{zone.libelle} — {zone.libelong}" if zone.libelong else zone.libelle
        places[f"z{zone.pk}"] = Place(
            f"z{zone.pk}",
            _("Zone %(label)s") % {"label": label},
            zone.geom,
            zone.geom.point_on_surface,
        )
    return places


def _geojson(geom: GEOSGeometry) -> dict:
    return json.loads(wgs84(geom).geojson)


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def _feature(geom: GEOSGeometry, choice: str, comment: str) -> dict:
    return {"type": "Feature", "geometry": _geojson(geom), "properties": _follow(choice, comment)}


def _follow(choice: str, comment: str) -> dict:
    properties = {}
    if choice:
        properties["choice"] = choice
    if comment:
        properties["comment"] = comment
    return properties


class PageForm:
    """The fields of one page posted, read into payload values; the errors the reading
    itself finds (two equal ranks, an unknown place) by code."""

    def __init__(self, questions: list[Question], data: QueryDict, places) -> None:
        self.questions = questions
        self.data = data
        self._places = places
        self.errors: dict[str, str] = {}

    @property
    def places(self) -> dict[str, Place]:
        if callable(self._places):
            self._places = self._places()
        return self._places

    def values(self) -> dict:
        values = {}
        for question in self.questions:
            value = self.value(question)
            if value not in (None, "", []):
                values[question.code] = value
        return values

    def value(self, question: Question):
        code, data = question.code, self.data
        kind = question.kind
        if kind == Kind.SINGLE:
            value = data.get(code, "")
            return {"other": data.get(f"{code}-other", "")} if value == "other" else value
        if kind == Kind.MULTIPLE:
            return [
                {"other": data.get(f"{code}-other", "")} if v == "other" else v
                for v in data.getlist(code)
            ]
        if kind == Kind.RANKING:
            return self.ranking(question)
        if kind in Question.MAP_KINDS:
            return self.map_value(question)
        return data.get(code, "")

    def ranking(self, question: Question) -> list[str]:
        ranks = {}
        for choice in question.choices.all():
            raw = self.data.get(f"{question.code}-rank-{choice.pk}", "").strip()
            if not raw:
                continue
            if not raw.isdigit() or int(raw) < 1:
                self.errors[question.code] = _("A rank is a whole number from 1.")
                return []
            if int(raw) in ranks:
                self.errors[question.code] = _("Two choices have the same rank.")
                return []
            ranks[int(raw)] = str(choice.pk)
        return [ranks[rank] for rank in sorted(ranks)]

    def map_value(self, question: Question):
        code, data = question.code, self.data
        geojson = data.get(f"{code}-geojson", "").strip()
        if data.get(f"{code}-list") != "1":
            # The map widget's answer, as the contract says; the list when it left none.
            return geojson or self.list_value(question)
        if question.kind in Question.PICK_KINDS:
            return self.list_value(question)
        listed = self.list_value(question)
        if listed or self.errors.get(code):
            return listed
        # Without JavaScript and no place chosen: the answer stays as it was, unless the
        # person asked to remove it.
        return "" if data.get(f"{code}-clear") else geojson

    def _place(self, question: Question, key: str) -> Place | None:
        place = self.places.get(key)
        if place is None:
            self.errors[question.code] = _("This place is not one of the list.")
        return place

    def list_value(self, question: Question):
        code, data = question.code, self.data
        if question.kind in Question.PICK_KINDS:
            return [
                {
                    "id": pk,
                    **_follow(
                        data.get(f"{code}-choice-{pk}", ""), data.get(f"{code}-comment-{pk}", "")
                    ),
                }
                for pk in data.getlist(code)
            ]
        choice, comment = data.get(f"{code}-choice-0", ""), data.get(f"{code}-comment-0", "")
        if question.kind == Kind.POINTS:
            features = []
            for slot in range(question.max_count or POINT_SLOTS):
                key = data.get(f"{code}-place-{slot}", "")
                if key and (place := self._place(question, key)) is not None:
                    features.append(
                        _feature(
                            place.point,
                            data.get(f"{code}-choice-{slot}", ""),
                            data.get(f"{code}-comment-{slot}", ""),
                        )
                    )
            return _collection(features) if features else ""
        if question.kind == Kind.LINE:
            keys = [data.get(f"{code}-place-{slot}", "") for slot in range(LINE_SLOTS)]
            places = [self._place(question, key) for key in keys if key]
            if not places or None in places:
                return ""
            if len(places) < 2:
                self.errors[code] = _("A line goes through two places at least.")
                return ""
            line = LineString([p.point for p in places], srid=places[0].point.srid)
            return _collection([_feature(line, choice, comment)])
        places = [self._place(question, key) for key in data.getlist(code)]
        if not places or None in places:
            return ""
        union = places[0].geom
        for place in places[1:]:
            union = union.union(place.geom)
        polygons = list(union) if isinstance(union, MultiPolygon) else [union]
        return _collection(
            [_feature(p, choice, comment) for p in polygons if isinstance(p, Polygon)]
        )


@dataclass
class Row:
    """What the template shows of one question: the answer given and its errors."""

    question: Question
    value: object
    errors: list[str]
    geojson: str = ""
    checked: set[str] = field(default_factory=set)
    other: str = ""
    ranks: dict[str, str] = field(default_factory=dict)
    slots: list[dict] = field(default_factory=list)
    # Zones and communes questions: each place offered, picked or not, with its follow-up.
    picks: list[dict] = field(default_factory=list)
    scale: list[int] = field(default_factory=list)

    @property
    def answer_choices(self) -> list:
        return [c for c in self.question.choices.all() if not c.for_marker]

    @property
    def marker_choices(self) -> list:
        return [c for c in self.question.choices.all() if c.for_marker]

    @property
    def marker_choices_json(self) -> str:
        return json.dumps([{"id": c.pk, "label": c.label} for c in self.marker_choices])


def _as_collection(value) -> dict | None:
    if isinstance(value, str):
        try:
            value = json.loads(value) if value else None
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def question_rows(
    questionnaire: Questionnaire,
    questions: list[Question],
    values: dict,
    errors: dict[str, str],
    posted: QueryDict | None,
) -> list[Row]:
    """Each question of a page with the answer to show (``values``, the payload) and its
    errors (those keyed by its code or a part of its answer)."""
    rows = []
    for question in questions:
        code, value = question.code, values.get(question.code)
        own = [
            message for key, message in errors.items() if key == code or key.startswith(code + ".")
        ]
        row = Row(question=question, value=value, errors=own)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict) and "other" in item:
                row.other = str(item["other"])
                row.checked.add("other")
            elif item not in (None, "") and not isinstance(item, dict):
                row.checked.add(str(item))
        if question.kind == Kind.RANKING:
            row.ranks = {str(item): str(rank) for rank, item in enumerate(items, 1) if item}
        if question.kind == Kind.SCALE:
            low = int(question.min_value) if question.min_value is not None else 1
            high = int(question.max_value) if question.max_value is not None else 5
            row.scale = list(range(low, high + 1))
        if question.is_map:
            _map_row(questionnaire, row, question, value, posted)
        rows.append(row)
    return rows


def _map_row(
    questionnaire: Questionnaire, row: Row, question: Question, value, posted: QueryDict | None
) -> None:
    code = question.code
    if question.kind in Question.PICK_KINDS:
        given = {}
        for item in value if isinstance(value, list) else []:
            pick = item if isinstance(item, dict) else {"id": item}
            given[str(pick.get("id"))] = pick
        if question.kind == Kind.ZONES:
            offered = [
                (z.pk, z.libelle + (f" — {z.libelong}" if z.libelong else ""))
                for z in questionnaire_zones(questionnaire)
            ]
        else:
            offered = [(c.pk, c.name) for c in questionnaire_communes(questionnaire)]
        for pk, label in offered:
            pick = given.get(str(pk), {})
            row.picks.append(
                {
                    "pk": str(pk),
                    "label": label,
                    "checked": bool(pick),
                    "choice": str(pick.get("choice") or ""),
                    "comment": str(pick.get("comment") or ""),
                }
            )
        features = [
            {"type": "Feature", "id": pick.get("id"), "geometry": None, "properties": pick}
            for pick in given.values()
        ]
        row.geojson = json.dumps(_collection(features)) if features else ""
        return
    collection = _as_collection(value)
    row.geojson = json.dumps(collection) if collection else ""
    row.checked = set(posted.getlist(code)) if posted is not None else set()
    if question.kind == Kind.POINTS:
        count = question.max_count or POINT_SLOTS
    else:
        count = LINE_SLOTS if question.kind == Kind.LINE else 1
    for slot in range(count):
        get = posted.get if posted is not None else (lambda key, default="": default)
        row.slots.append(
            {
                "index": slot,
                "n": slot + 1,
                "name": f"{code}-place-{slot}",
                "place": get(f"{code}-place-{slot}", ""),
                "choice": get(f"{code}-choice-{slot}", ""),
                "comment": get(f"{code}-comment-{slot}", ""),
            }
        )
