# SPDX-License-Identifier: AGPL-3.0-or-later
"""The answer templates move from the concertations app to the ideas module (migrations
contributions 0005, concertations 0004) with their rows, both ways: a template written
before the move is read after it, and again once the move is undone."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from carto_concertation.contributions.models import AnswerTemplate
from tests.factories import ConcertationFactory

BEFORE = [
    ("concertations", "0003_add_answer_template"),
    ("contributions", "0004_unescape_typed_texts"),
]
CONSTRAINTS = {"answertemplate_unique_title", "answertemplate_closing_has_answer"}
ROW = {
    "title": "Zone agricole protégée",
    "status": "not_retained",
    "text": "Le PADD protège les terres agricoles.",
    "service": "Service urbanisme",
}


def migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


def model_at(targets, app_label: str):
    executor = MigrationExecutor(connection)
    return executor.loader.project_state(targets).apps.get_model(app_label, "AnswerTemplate")


def constraints(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


@pytest.mark.django_db(transaction=True)
def test_a_template_written_before_the_move_is_read_after_it_both_ways():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    concertation = ConcertationFactory()
    migrate(BEFORE)
    try:
        old = model_at(BEFORE, "concertations")
        assert old._meta.db_table == "concertations_answertemplate"
        written = old.objects.create(concertation_id=concertation.pk, **ROW)

        migrate(leaves)
        tables = connection.introspection.table_names()
        assert "contributions_answertemplate" in tables
        assert "concertations_answertemplate" not in tables
        assert constraints(AnswerTemplate._meta.db_table) >= CONSTRAINTS
        moved = AnswerTemplate.objects.get(pk=written.pk)
        assert moved.concertation_id == concertation.pk
        assert {field: getattr(moved, field) for field in ROW} == ROW
        assert list(concertation.answer_templates.all()) == [moved]

        migrate(BEFORE)
        assert constraints("concertations_answertemplate") >= CONSTRAINTS
        back = model_at(BEFORE, "concertations").objects.get(pk=written.pk)
        assert {field: getattr(back, field) for field in ROW} == ROW
    finally:
        migrate(leaves)
