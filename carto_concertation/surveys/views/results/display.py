# SPDX-License-Identifier: AGPL-3.0-or-later
"""A question's results as the pages show them: its chart (server SVG), its shares as
percentages, the map's data source."""

from django.conf import settings
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from carto_concertation.core.wgs84 import wgs84

from ...charts import question_chart, value_label
from ...models import Question, Questionnaire

WGS84 = 4326
# The keys of a result holding rows with a "share".
_SHARED = ("choices", "distribution", "months", "follow_up")


def _percent(value: float) -> str:
    return number_format(value * 100, 1) + "\xa0%"


def question_view(result: dict, questionnaire: Questionnaire, *, full: bool) -> dict:
    """The result with its chart (SVG, escaped by charts.py), percentages, and for a
    drawn map question where its map reads: the heat map for the public, every marker
    for the organisers (``full``)."""
    view = dict(result)
    for key in _SHARED:
        if key in view:
            view[key] = [dict(row, percent=_percent(row["share"])) for row in view[key]]
    if "distribution" in view:
        view["distribution"] = [dict(row, label=value_label(row)) for row in view["distribution"]]
    if view.get("other"):
        view["other"] = dict(view["other"], percent=_percent(view["other"]["share"]))
    # charts.py escapes every label itself: the markup is safe as a whole.
    view["chart"] = mark_safe(question_chart(result))  # noqa: S308
    view["svg_url"] = reverse("surveys:results-chart", args=[questionnaire.slug, result["code"]])
    if result["kind"] in Question.MAP_KINDS:
        view["areas"] = _areas(result)
        view["full"] = full
        view["min_count"] = settings.HEATMAP_MIN_COUNT
    if result["kind"] in Question.GEOMETRY_KINDS:
        name = "api:surveys-results-markers" if full else "api:surveys-results-heatmap"
        view["map_url"] = reverse(name, args=[questionnaire.slug, result["code"]])
    return view


def _areas(result: dict) -> list[dict]:
    """The tables per zone and per commune (the no-JS twin of the map)."""
    zones = [
        dict(
            row, name=f"{row['libelle']} — {row['libelong']}" if row["libelong"] else row["libelle"]
        )
        for row in result["by_zone"]
    ]
    return [
        {"caption": _("Markers per PLU/PLUi zone"), "header": _("Zone"), "rows": zones},
        {"caption": _("Markers per commune"), "header": _("Commune"), "rows": result["by_commune"]},
    ]


def map_config(request, questionnaire: Questionnaire) -> dict:
    """What the pages' map module (surveys/results-map.js) starts from: a style of the
    communes' outlines (no request leaves the server), the territory's centre, its words."""
    centroid = wgs84(questionnaire.territory.geom.point_on_surface)
    center = [round(centroid.x, 6), round(centroid.y, 6)]
    communes = request.build_absolute_uri(reverse("tilejson", args=["communes"]))
    return {
        "style": {
            "version": 8,
            "center": center,
            "zoom": 11,
            "sources": {"communes": {"type": "vector", "url": communes}},
            "layers": [
                {
                    "id": "background",
                    "type": "background",
                    "paint": {"background-color": "#f4f1ea"},
                },
                {
                    "id": "communes-outline",
                    "type": "line",
                    "source": "communes",
                    "source-layer": "communes",
                    "paint": {"line-color": "#5b5b6b", "line-width": 1.5},
                },
            ],
        },
        "strings": {
            "heatmap": _("Map of the markers counted in squares"),
            "markers": _("Map of every marker"),
        },
    }
