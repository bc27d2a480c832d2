# SPDX-License-Identifier: AGPL-3.0-or-later
"""Votes, comments, reports and the moderation log become engagement's (issue 16): every
row is copied, with its id (the API and the pages name comments by id), onto the
idea it was on (content type ``contributions.contribution``); a report on a comment
targets the comment (``engagement.comment``); a log line belongs to its concertation
(``concertations.concertation``). Engagement's id sequences then start after the copied
ids. Backwards, the rows go back to the ideas' tables (recreated empty by 0007 undone)
and leave engagement's."""

# ruff: noqa: S608 — the tables and columns are this file's constants; values are parameters.
from django.db import migrations

# The old tables and engagement's, in the order a row's references are there first.
TABLES = ("vote", "comment", "report", "moderationaction")


def _type_id(apps, app_label: str, model: str) -> int:
    content_type = apps.get_model("contenttypes", "ContentType")
    return content_type.objects.get_or_create(app_label=app_label, model=model)[0].pk


def _sequences_reset(schema_editor, prefix: str) -> None:
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{prefix}_{table}', 'id'),"
                f" coalesce(max(id), 1), max(id) IS NOT NULL) FROM {prefix}_{table}"
            )


# Each copy: (engagement's table, the ideas' table, engagement's columns, the ideas' ones,
# the old columns read backwards, the rows that go back). ``%(idea)s``, ``%(comment)s``
# and ``%(space)s`` are the content types of an idea, of a comment and of a concertation.
COPIES = (
    (
        "vote",
        "id, content_type_id, object_id, voter_id, value, created_at",
        "id, %(idea)s, contribution_id, voter_id, value, created_at",
        "id, contribution_id, voter_id, value, created_at",
        "id, object_id, voter_id, value, created_at",
        "content_type_id = %(idea)s",
    ),
    (
        "comment",
        "id, content_type_id, object_id, parent_id, author_id, text, status,"
        " moderation_reason, created_at",
        "id, %(idea)s, contribution_id, parent_id, author_id, text, status,"
        " moderation_reason, created_at",
        "id, contribution_id, parent_id, author_id, text, status, moderation_reason, created_at",
        "id, object_id, parent_id, author_id, text, status, moderation_reason, created_at",
        "content_type_id = %(idea)s",
    ),
    (
        "report",
        "id, content_type_id, object_id, reporter_id, reason, created_at, resolved_at",
        "id, CASE WHEN comment_id IS NULL THEN %(idea)s ELSE %(comment)s END,"
        " coalesce(comment_id, contribution_id), reporter_id, reason, created_at, resolved_at",
        "id, contribution_id, comment_id, reporter_id, reason, created_at, resolved_at",
        "id, CASE WHEN content_type_id = %(idea)s THEN object_id END,"
        " CASE WHEN content_type_id = %(comment)s THEN object_id END,"
        " reporter_id, reason, created_at, resolved_at",
        "content_type_id = %(idea)s OR (content_type_id = %(comment)s AND object_id IN"
        " (SELECT id FROM engagement_comment WHERE content_type_id = %(idea)s))",
    ),
    (
        "moderationaction",
        "id, space_type_id, space_id, action, content_type_id, object_id, comment_id,"
        " merged_into_id, role, reason, actor_id, created_at",
        "id, %(space)s, concertation_id, action,"
        " CASE WHEN contribution_id IS NOT NULL THEN %(idea)s END, contribution_id,"
        " comment_id, merged_into_id, role, reason, actor_id, created_at",
        "id, concertation_id, action, contribution_id, comment_id, merged_into_id, role,"
        " reason, actor_id, created_at",
        "id, space_id, action, object_id, comment_id, merged_into_id, role, reason,"
        " actor_id, created_at",
        "space_type_id = %(space)s AND (content_type_id IS NULL OR content_type_id = %(idea)s)",
    ),
)


def _types(apps) -> dict[str, int]:
    return {
        "idea": _type_id(apps, "contributions", "contribution"),
        "comment": _type_id(apps, "engagement", "comment"),
        "space": _type_id(apps, "concertations", "concertation"),
    }


def rows_copy(apps, schema_editor):
    """Insert … select, each table in one statement (created_at kept as it was: a
    model's auto_now_add would write the time of the copy)."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT FROM contributions_vote) OR EXISTS (SELECT FROM"
            " contributions_comment) OR EXISTS (SELECT FROM contributions_report) OR EXISTS"
            " (SELECT FROM contributions_moderationaction)"
        )
        if not cursor.fetchone()[0]:
            return
        types = _types(apps)
        for table, new_columns, selected, _old_columns, _back, _which in COPIES:
            cursor.execute(
                f"INSERT INTO engagement_{table} ({new_columns})"
                f" SELECT {selected} FROM contributions_{table}",
                types,
            )
    _sequences_reset(schema_editor, "engagement")


def rows_copy_back(apps, schema_editor):
    """Only what the ideas' tables can hold goes back: engagement's rows on ideas (and
    a log line's comment, if it is one of theirs); engagement's tables are emptied."""
    types = _types(apps)
    with schema_editor.connection.cursor() as cursor:
        for table, _new_columns, _selected, old_columns, back, which in COPIES:
            cursor.execute(
                f"INSERT INTO contributions_{table} ({old_columns})"
                f" SELECT {back} FROM engagement_{table} WHERE {which}",
                types,
            )
        for table in reversed(TABLES):
            cursor.execute(f"DELETE FROM engagement_{table}")
    _sequences_reset(schema_editor, "contributions")


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0005_answertemplate_moved_in"),
        ("concertations", "0003_add_answer_template"),
        ("engagement", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(rows_copy, rows_copy_back)]
