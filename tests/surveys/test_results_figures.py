# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every figure of the results equals the count computed independently in SQL, on a few
hundred random responses (seeded) with drafts, "other" answers, a conditional question,
free texts in each moderation, drawn and picked map answers over two communes and their
PLUi zones."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from carto_concertation.surveys.selectors.results import crosstab, questionnaire_results

from .results_world import results_world

pytestmark = pytest.mark.django_db

SUBMITTED = """
    FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id
    WHERE r.status = 'submitted' AND a.question_id = %s
"""


def sql(query: str, *params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def one(query: str, *params):
    return sql(query, *params)[0][0]


@pytest.fixture(scope="module")
def committed_world(django_db_setup, django_db_blocker):
    """Written once for the module (seconds of rows), each test in a transaction rolled
    back after it; the database is emptied after the module (as tests/worlds.py's
    demo_world)."""
    with django_db_blocker.unblock():
        world = results_world()
    yield world
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        connection.close()


@pytest.fixture
def world(committed_world, db):
    return committed_world


def by_code(results: dict) -> dict:
    return {question["code"]: question for question in results["questions"]}


def test_choices_counts_other_and_shares_over_who_answered(world):
    results = by_code(questionnaire_results(world.questionnaire))
    assert questionnaire_results(world.questionnaire)["responses"] == one(
        "SELECT count(*) FROM surveys_response WHERE status = 'submitted' AND questionnaire_id = %s",
        world.questionnaire.pk,
    )
    for code in ("single", "multiple"):
        question = world.questions[code]
        result = results[code]
        answered = one(
            f"""SELECT count(*) {SUBMITTED} AND (a.text <> '' OR EXISTS
                (SELECT 1 FROM surveys_answerchoice c WHERE c.answer_id = a.id))""",  # noqa: S608 — constant fragments, values as parameters
            question.pk,
        )
        assert result["answered"] == answered > 50
        counts = dict(
            sql(
                """SELECT ch.id, count(ac.id) FROM surveys_choice ch LEFT JOIN
                    (SELECT c.id, c.choice_id FROM surveys_answerchoice c
                     JOIN surveys_answer a ON a.id = c.answer_id
                     JOIN surveys_response r ON r.id = a.response_id
                     WHERE r.status = 'submitted') ac ON ac.choice_id = ch.id
                    WHERE ch.question_id = %s AND NOT ch.for_marker GROUP BY ch.id""",
                question.pk,
            )
        )
        assert {row["id"]: row["count"] for row in result["choices"]} == counts
        for row in result["choices"]:
            assert row["share"] == round(counts[row["id"]] / answered, 4)
        other = one(f"SELECT count(*) {SUBMITTED} AND a.text <> ''", question.pk)
        assert result["other"] == {"count": other, "share": round(other / answered, 4)}
        assert other > 0
        published = sql(
            f"SELECT a.text {SUBMITTED} AND a.text <> '' AND a.text_moderation = 'published'"
            " ORDER BY a.id",
            question.pk,
        )
        assert result["texts"] == [text for (text,) in published]
    # A multiple choice: its shares add up past 1 (a respondent holds several choices).
    assert sum(row["share"] for row in results["multiple"]["choices"]) > 1


def test_drafts_never_count(world):
    question = world.questions["single"]
    drafts = one(
        """SELECT count(*) FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id
           WHERE r.status = 'draft' AND a.question_id = %s""",
        question.pk,
    )
    everyone = one("SELECT count(*) FROM surveys_answer WHERE question_id = %s", question.pk)
    result = by_code(questionnaire_results(world.questionnaire))["single"]
    assert drafts > 0
    assert result["answered"] == everyone - drafts


def test_ranking_mean_rank_and_borda_points(world):
    question = world.questions["ranking"]
    result = by_code(questionnaire_results(world.questionnaire))["ranking"]
    size = one(
        "SELECT count(*) FROM surveys_choice WHERE question_id = %s AND NOT for_marker",
        question.pk,
    )
    rows = sql(
        """SELECT c.choice_id, count(*), avg(c.rank), sum(%s - c.rank + 1)
           FROM surveys_answerchoice c JOIN surveys_answer a ON a.id = c.answer_id
           JOIN surveys_response r ON r.id = a.response_id
           WHERE r.status = 'submitted' AND a.question_id = %s GROUP BY c.choice_id""",
        size,
        question.pk,
    )
    expected = {pk: (n, round(float(mean), 2), points) for pk, n, mean, points in rows}
    assert {
        row["id"]: (row["count"], row["mean_rank"], row["points"]) for row in result["choices"]
    } == expected
    assert result["answered"] == one(
        f"""SELECT count(*) {SUBMITTED} AND EXISTS
            (SELECT 1 FROM surveys_answerchoice c WHERE c.answer_id = a.id)""",  # noqa: S608 — constant fragments, values as parameters
        question.pk,
    )


def test_scale_and_number_distribution_mean_median_and_the_condition(world):
    results = by_code(questionnaire_results(world.questionnaire))
    for code in ("scale", "number"):
        question = world.questions[code]
        result = results[code]
        count, mean, middle = sql(
            f"""SELECT count(*), avg(a.number),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY a.number)
                {SUBMITTED} AND a.number IS NOT NULL""",
            question.pk,
        )[0]
        assert result["answered"] == count > 10
        assert result["mean"] == float(round(mean, 2))
        assert result["median"] == round(middle, 2)
    distribution = dict(
        sql(
            f"SELECT a.number, count(*) {SUBMITTED} AND a.number IS NOT NULL GROUP BY 1",
            world.questions["scale"].pk,
        )
    )
    shown = {Decimal(str(row["value"])): row["count"] for row in results["scale"]["distribution"]}
    assert {value: n for value, n in shown.items() if n} == distribution
    # The number's many distinct values: ten bins of equal width from the least to the
    # greatest (the greatest in the last bin).
    bins = dict(
        sql(
            f"""SELECT least(width_bucket(a.number, m.low, m.high, 10), 10), count(*)
                FROM (SELECT min(a.number) AS low, max(a.number) AS high {SUBMITTED}
                      AND a.number IS NOT NULL) m,
                surveys_answer a JOIN surveys_response r ON r.id = a.response_id
                WHERE r.status = 'submitted' AND a.question_id = %s AND a.number IS NOT NULL
                GROUP BY 1""",  # noqa: S608 — constant fragments, values as parameters
            world.questions["number"].pk,
            world.questions["number"].pk,
        )
    )
    number = results["number"]["distribution"]
    assert len(number) == 10
    assert [row["count"] for row in number] == [bins.get(index, 0) for index in range(1, 11)]
    assert all(row["upper"] > row["value"] for row in number)
    # Every step of the 1–5 scale shows, and the scale was asked only to those who chose
    # the single choice's first answer: its share is over them.
    assert [row["value"] for row in results["scale"]["distribution"]] == [1, 2, 3, 4, 5]
    first = world.questions["single"].choices.get(position=0, for_marker=False)
    outside = one(
        """SELECT count(*) FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id
           WHERE r.status = 'submitted' AND a.question_id = %s AND a.number IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM surveys_answer s JOIN surveys_answerchoice c
                           ON c.answer_id = s.id WHERE s.response_id = r.id AND c.choice_id = %s)""",
        world.questions["scale"].pk,
        first.pk,
    )
    assert outside == 0
    assert results["scale"]["conditional"] is True
    assert results["scale"]["answered"] < results["single"]["answered"]


def test_dates_per_month_and_texts(world):
    results = by_code(questionnaire_results(world.questionnaire))
    months = sql(
        f"""SELECT to_char(a.date, 'YYYY-MM'), count(*) {SUBMITTED} AND a.date IS NOT NULL
            GROUP BY 1 ORDER BY 1""",
        world.questions["date"].pk,
    )
    assert [(row["month"], row["count"]) for row in results["date"]["months"]] == months
    for code in ("short_text", "long_text"):
        question = world.questions[code]
        assert results[code]["answered"] == one(
            f"SELECT count(*) {SUBMITTED} AND a.text <> ''", question.pk
        )
        published = sql(
            f"SELECT a.text {SUBMITTED} AND a.text_moderation = 'published' AND a.text <> ''"
            " ORDER BY a.id",
            question.pk,
        )
        assert results[code]["texts"] == [text for (text,) in published]
        assert 0 < len(published) < results[code]["answered"]


FEATURES = """
    FROM surveys_answerfeature f JOIN surveys_answer a ON a.id = f.answer_id
    JOIN surveys_response r ON r.id = a.response_id
    WHERE r.status = 'submitted' AND a.question_id = %s
"""


def test_map_questions_markers_per_zone_and_commune_with_follow_ups(world):
    results = by_code(questionnaire_results(world.questionnaire))
    document = world.questionnaire.zoning_document_id
    for code in ("points", "line", "area", "zones", "communes"):
        question = world.questions[code]
        result = results[code]
        assert result["markers"] == one(f"SELECT count(*) {FEATURES}", question.pk) > 20
        assert result["answered"] == one(f"SELECT count(DISTINCT a.id) {FEATURES}", question.pk)
        follow = dict(
            sql(f"SELECT f.marker_choice_id, count(*) {FEATURES} GROUP BY 1", question.pk)
        )
        assert {row["id"]: row["count"] for row in result["follow_up"]} == {
            pk: n for pk, n in follow.items() if pk is not None
        }
        if code == "zones":
            zone_rows = sql(
                f"""SELECT z.libelle, f.marker_choice_id, count(*) {
                    FEATURES.replace(
                        "WHERE", "JOIN plui_documents_zone z ON z.id = f.zone_id WHERE"
                    )
                }
                    GROUP BY 1, 2""",
                question.pk,
            )
            commune_rows = []
        elif code == "communes":
            zone_rows = []
            commune_rows = sql(
                f"SELECT f.commune_id, f.marker_choice_id, count(*) {FEATURES} GROUP BY 1, 2",
                question.pk,
            )
        else:
            zone_rows = sql(
                f"""SELECT z.libelle, f.marker_choice_id, count(DISTINCT f.id)
                    {
                    FEATURES.replace(
                        "WHERE",
                        '''JOIN plui_documents_zone z
                        ON ST_Intersects(z.geom, f.geom)
                        JOIN plui_documents_documentversion v ON v.id = z.version_id
                        JOIN plui_documents_urbandocument d ON d.current_version_id = v.id
                        WHERE d.id = %s AND''',
                    )
                }
                    GROUP BY 1, 2""",
                document,
                question.pk,
            )
            commune_rows = sql(
                f"""SELECT c.id, f.marker_choice_id, count(DISTINCT f.id)
                    {
                    FEATURES.replace(
                        "WHERE",
                        '''JOIN territories_commune c
                        ON ST_Intersects(c.geom, f.geom) WHERE c.territory_id = %s AND''',
                    )
                }
                    GROUP BY 1, 2""",
                world.questionnaire.territory_id,
                question.pk,
            )
        assert _per_area(result["by_zone"], "libelle") == _summed(zone_rows)
        communes = dict(world.questionnaire.territory.communes.values_list("insee", "pk"))
        by_commune = [dict(row, pk=communes[row["insee"]]) for row in result["by_commune"]]
        assert _per_area(by_commune, "pk") == _summed(commune_rows)
    # Lines and areas touch several zones: they count once in each.
    line = results["line"]
    assert sum(row["count"] for row in line["by_zone"]) > line["markers"]


def _per_area(rows: list[dict], key: str) -> dict:
    return {
        row[key]: (row["count"], {c["id"]: c["count"] for c in row["follow_up"] if c["count"]})
        for row in rows
    }


def _summed(rows) -> dict:
    areas: dict = {}
    for area, choice, n in rows:
        total, choices = areas.get(area, (0, {}))
        if choice is not None:
            choices[choice] = choices.get(choice, 0) + n
        areas[area] = (total + n, choices)
    return areas


def test_crosstab_counts_respondents_holding_both_choices(world):
    single, multiple = world.questions["single"], world.questions["multiple"]
    table = crosstab(single, multiple)
    pairs = dict(
        ((a, b), n)
        for a, b, n in sql(
            """SELECT c1.choice_id, c2.choice_id, count(DISTINCT a1.response_id)
               FROM surveys_answerchoice c1 JOIN surveys_answer a1 ON a1.id = c1.answer_id
               JOIN surveys_answer a2 ON a2.response_id = a1.response_id
               JOIN surveys_answerchoice c2 ON c2.answer_id = a2.id
               JOIN surveys_response r ON r.id = a1.response_id
               WHERE r.status = 'submitted' AND a1.question_id = %s AND a2.question_id = %s
               GROUP BY 1, 2""",
            single.pk,
            multiple.pk,
        )
    )
    columns = [choice["id"] for choice in table["columns"]["choices"]]
    for row in table["table"]:
        assert row["counts"] == [pairs.get((row["id"], b), 0) for b in columns]
    assert sum(sum(row["counts"]) for row in table["table"]) == sum(pairs.values()) > 20
    assert table["respondents"] == one(
        """SELECT count(DISTINCT a1.response_id)
           FROM surveys_answerchoice c1 JOIN surveys_answer a1 ON a1.id = c1.answer_id
           JOIN surveys_answer a2 ON a2.response_id = a1.response_id
           JOIN surveys_answerchoice c2 ON c2.answer_id = a2.id
           JOIN surveys_response r ON r.id = a1.response_id
           WHERE r.status = 'submitted' AND a1.question_id = %s AND a2.question_id = %s""",
        single.pk,
        multiple.pk,
    )
