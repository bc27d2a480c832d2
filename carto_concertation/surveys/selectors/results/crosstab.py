# SPDX-License-Identifier: AGPL-3.0-or-later
"""The organisers' cross-tabulation of two choice questions: how many respondents hold
each pair of choices (a multiple choice puts a respondent in each of its choices). Only
the respondents who answered both count."""

from collections import defaultdict

from ...models import AnswerChoice, Question, counted_response

CROSSTAB_KINDS = frozenset({Question.Kind.SINGLE, Question.Kind.MULTIPLE})


def _held(question: Question) -> dict[int, set[int]]:
    """Per submitted response, the choices it holds in ``question``."""
    held: dict[int, set[int]] = defaultdict(set)
    rows = AnswerChoice.objects.filter(
        counted_response("answer__response__"), answer__question=question
    ).values_list("answer__response", "choice")
    for response, choice in rows:
        held[response].add(choice)
    return held


def crosstab(rows: Question, columns: Question) -> dict:
    """The table: one row per choice of ``rows``, one column per choice of ``columns``,
    each cell the respondents holding both; with each row's and column's total over the
    respondents who answered both questions."""
    row_choices = list(rows.choices.filter(for_marker=False).order_by("position"))
    column_choices = list(columns.choices.filter(for_marker=False).order_by("position"))
    by_row, by_column = _held(rows), _held(columns)
    both = by_row.keys() & by_column.keys()
    cells: dict[tuple[int, int], int] = defaultdict(int)
    for response in both:
        for a in by_row[response]:
            for b in by_column[response]:
                cells[a, b] += 1
    return {
        "rows": {"code": rows.code, "label": rows.label},
        "columns": {
            "code": columns.code,
            "label": columns.label,
            "choices": [{"id": c.pk, "label": c.label} for c in column_choices],
        },
        "respondents": len(both),
        "table": [
            {
                "id": a.pk,
                "label": a.label,
                "counts": [cells[a.pk, b.pk] for b in column_choices],
                "total": sum(1 for response in both if a.pk in by_row[response]),
            }
            for a in row_choices
        ],
        "column_totals": [
            sum(1 for response in both if b.pk in by_column[response]) for b in column_choices
        ],
    }
