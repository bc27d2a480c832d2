# SPDX-License-Identifier: AGPL-3.0-or-later
"""A question's results as a horizontal bar chart in SVG, drawn on the server: no
JavaScript, readable by screen readers (``<title>``, ``<desc>``, each bar's label and
value as text), the same on the results page and as a download. Labels are escaped here
(the SVG is served as is, and marked safe in the page)."""

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from .models import Question

Kind = Question.Kind
WIDTH = 640
LABEL_WIDTH = 220
BAR_AREA = 340
ROW = 28
TOP = 8
# Longer labels are cut (the full label stays in each bar's own <title>).
LABEL_CHARS = 34


def chart_bars(result: dict) -> list[tuple[str, float]]:
    """The (label, value) bars of a question's results (none for free texts): the choices'
    counts (and "other"), a ranking's Borda points, a scale's or number's distribution,
    the dates per month, a map question's markers per commune (per zone when zones are
    picked)."""
    kind = result["kind"]
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        bars = [(row["label"], row["count"]) for row in result["choices"]]
        if result["other"] is not None:
            bars.append((_("Other"), result["other"]["count"]))
        return bars
    if kind == Kind.RANKING:
        return [(row["label"], row["points"]) for row in result["choices"]]
    if kind in (Kind.SCALE, Kind.NUMBER):
        return [(value_label(row), row["count"]) for row in result["distribution"]]
    if kind == Kind.DATE:
        return [(row["month"], row["count"]) for row in result["months"]]
    if kind == Kind.ZONES:
        return [(row["libelle"], row["count"]) for row in result["by_zone"]]
    if kind in Question.MAP_KINDS:
        return [(row["name"], row["count"]) for row in result["by_commune"]]
    return []


def value_label(row: dict) -> str:
    """A distribution row's value, or its bin ("from – to")."""
    if row["upper"] is None:
        return number_format(row["value"])
    return f"{number_format(row['value'])} – {number_format(row['upper'])}"


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart_svg(
    *, title: str, description: str, bars: list[tuple[str, float]], ident: str = "chart"
) -> str:
    """The SVG document: one bar per (label, value), its length proportional to the value
    (the largest value fills the bar area), the value written after it. ``ident``
    prefixes its ids (several charts on one page)."""
    largest = max((value for _label, value in bars), default=0)
    height = TOP * 2 + ROW * max(len(bars), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" aria-labelledby="{ident}-title '
        f'{ident}-desc" font-family="sans-serif" font-size="13">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]
    if not bars:
        empty = _("No answers yet.")
        parts.append(f'<text x="0" y="{TOP + 18}">{escape(empty)}</text>')
    for index, (label, value) in enumerate(bars):
        y = TOP + index * ROW
        length = round(BAR_AREA * value / largest, 2) if largest else 0
        shown = number_format(value)
        parts.append(
            f'<g class="bar" data-value="{escape(str(value))}">'
            f"<title>{escape(label)}: {escape(shown)}</title>"
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 18}" text-anchor="end">{escape(_cut(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length}" height="{ROW - 8}" '
            f'fill="#1f5f8b"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 18}">{escape(shown)}</text></g>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def question_chart(result: dict) -> str:
    """The chart of one question's results (its label as title, what the bars count as
    description)."""
    kind = result["kind"]
    if kind == Kind.RANKING:
        description = _("Borda points of each choice (ranked r-th of n: n − r + 1 points).")
    elif kind in Question.MAP_KINDS:
        description = _("Markers per zone.") if kind == Kind.ZONES else _("Markers per commune.")
    else:
        description = _("Number of respondents for each answer, out of %(n)s who answered.") % {
            "n": result["answered"]
        }
    return bar_chart_svg(
        title=result["label"],
        description=description,
        bars=chart_bars(result),
        ident=f"chart-{result['code']}",
    )
