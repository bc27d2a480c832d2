# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas' votes, comments, reports and moderation log move to engagement
(contributions 0006, 0007): every row, its id and its date are kept, the counts and the
public log read the same, and the way back gives the ideas' tables their rows again."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from carto_concertation.contributions import selectors
from carto_concertation.contributions.models import Contribution
from carto_concertation.engagement.models import Comment, ModerationAction, Report, Vote
from tests.factories import ContributionFactory, UserFactory

BEFORE = [("contributions", "0004_unescape_typed_texts")]
# What the public log shows of a line (and the order of the tuples below).
LOG_KEYS = ("id", "action", "role", "reason", "contribution", "comment", "merged_into")
DAY = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


def old_models(targets=BEFORE) -> dict:
    apps = MigrationExecutor(connection).loader.project_state(targets).apps
    return {
        name: apps.get_model("contributions", name)
        for name in ("Vote", "Comment", "Report", "ModerationAction")
    }


def dated(model, pk: int, n: int) -> None:
    """A date of its own, long before the migration (so that a copy made now shows)."""
    model.objects.filter(pk=pk).update(created_at=DAY + timedelta(minutes=n))


def old_rows(models) -> dict:
    """Every old row, as (id, what it says) — the state before, read through its models."""
    return {
        name: sorted(model.objects.values_list(*_COLUMNS[name])) for name, model in models.items()
    }


_COLUMNS = {
    "Vote": ("id", "contribution_id", "voter_id", "value", "created_at"),
    "Comment": (
        "id",
        "contribution_id",
        "parent_id",
        "author_id",
        "text",
        "status",
        "moderation_reason",
        "created_at",
    ),
    "Report": (
        "id",
        "contribution_id",
        "comment_id",
        "reporter_id",
        "reason",
        "created_at",
        "resolved_at",
    ),
    "ModerationAction": (
        "id",
        "concertation_id",
        "action",
        "contribution_id",
        "comment_id",
        "merged_into_id",
        "role",
        "reason",
        "actor_id",
        "created_at",
    ),
}


def new_rows(idea_type: int, comment_type: int) -> dict:
    """Engagement's rows in the old rows' shape (a target of another type would show)."""

    def on_idea(type_id, object_id):
        return object_id if type_id == idea_type else ("other", type_id, object_id)

    return {
        "Vote": sorted(
            (v.id, on_idea(v.content_type_id, v.object_id), v.voter_id, v.value, v.created_at)
            for v in Vote.objects.all()
        ),
        "Comment": sorted(
            (
                c.id,
                on_idea(c.content_type_id, c.object_id),
                c.parent_id,
                c.author_id,
                c.text,
                c.status,
                c.moderation_reason,
                c.created_at,
            )
            for c in Comment.objects.all()
        ),
        "Report": sorted(
            (
                r.id,
                r.object_id if r.content_type_id == idea_type else None,
                r.object_id if r.content_type_id == comment_type else None,
                r.reporter_id,
                r.reason,
                r.created_at,
                r.resolved_at,
            )
            for r in Report.objects.all()
        ),
        "ModerationAction": sorted(
            (
                a.id,
                a.space_id,
                a.action,
                on_idea(a.content_type_id, a.object_id) if a.object_id else None,
                a.comment_id,
                a.merged_into_id,
                a.role,
                a.reason,
                a.actor_id,
                a.created_at,
            )
            for a in ModerationAction.objects.all()
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_row_its_id_the_counts_and_the_public_log(client):
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    idea = ContributionFactory()
    twin = ContributionFactory(concertation=idea.concertation)
    concertation = idea.concertation
    resident, neighbour, moderator = UserFactory(), UserFactory(), UserFactory()
    migrate(BEFORE)
    try:
        old = old_models()
        # A vote on each idea (the twin's is the resident's second opinion).
        vote = old["Vote"].objects.create(contribution_id=idea.pk, voter=None, value=1)
        old["Vote"].objects.filter(pk=vote.pk).update(voter_id=resident.pk)
        old["Vote"].objects.create(contribution_id=twin.pk, voter_id=neighbour.pk, value=-1)
        # A comment and its reply; a hidden comment with its reason.
        comment = old["Comment"].objects.create(
            contribution_id=idea.pk, author_id=resident.pk, text="Oui, et un banc."
        )
        reply = old["Comment"].objects.create(
            contribution_id=idea.pk, parent=comment, author_id=neighbour.pk, text="D'accord."
        )
        hidden = old["Comment"].objects.create(
            contribution_id=idea.pk,
            author_id=neighbour.pk,
            text="Propos injurieux",
            status="hidden",
            moderation_reason="Contraire à la charte",
        )
        # A report on the idea, one on a comment (dealt with).
        on_idea = old["Report"].objects.create(
            contribution_id=idea.pk, reporter_id=neighbour.pk, reason="Hors sujet"
        )
        on_comment = old["Report"].objects.create(
            comment_id=hidden.pk,
            reporter_id=resident.pk,
            reason="Injurieux",
            resolved_at=DAY + timedelta(days=1),
        )
        # The log: the hiding of the comment, a merge, an answer on nothing left.
        log = [
            old["ModerationAction"].objects.create(
                concertation_id=concertation.pk,
                action="hide",
                contribution_id=idea.pk,
                comment_id=hidden.pk,
                role="moderator",
                reason="Contraire à la charte",
                actor_id=moderator.pk,
            ),
            old["ModerationAction"].objects.create(
                concertation_id=concertation.pk,
                action="merge",
                contribution_id=twin.pk,
                merged_into_id=idea.pk,
                role="moderator",
                actor_id=moderator.pk,
            ),
            old["ModerationAction"].objects.create(
                concertation_id=concertation.pk, action="answer", role="planner", reason="Vu."
            ),
        ]
        rows = [vote, comment, reply, hidden, on_idea, on_comment, *log]
        for n, row in enumerate(rows):
            dated(type(row), row.pk, n)
        before = old_rows(old)
        assert [len(before[name]) for name in _COLUMNS] == [2, 3, 2, 3]

        # Forward to the latest state (contributions 0006 copies, 0007 drops the old tables;
        # the live code below reads what later migrations made too).
        migrate(leaves)
        idea_type = ContentType.objects.get_for_model(Contribution).pk
        comment_type = ContentType.objects.get_for_model(Comment).pk
        assert new_rows(idea_type, comment_type) == before
        # What the pages and the API read: the counts, the threads, the queue, the log.
        counted = selectors.contribution_get(pk=idea.pk)
        assert counted.comment_count == 2  # the hidden one is not counted
        [thread, placeholder] = selectors.comment_public_list(contribution=idea)
        assert (thread.pk, [r.pk for r in thread.replies.all()]) == (comment.pk, [reply.pk])
        assert placeholder.moderation_reason == "Contraire à la charte"
        queued, _comments = selectors.moderation_queue(concertation=concertation)
        assert [r.pk for r in queued.get(pk=idea.pk).open_reports] == [on_idea.pk]
        assert Report.objects.get(pk=on_comment.pk).target == Comment.objects.get(pk=hidden.pk)
        public_log = client.get(f"/api/v1/concertations/{concertation.slug}/moderation/log")
        assert public_log.status_code == 200
        assert [tuple(e[key] for key in LOG_KEYS) for e in public_log.json()["results"]] == [
            (log[2].pk, "answer", "planner", "Vu.", None, None, None),
            (log[1].pk, "merge", "moderator", "", twin.pk, None, idea.pk),
            (log[0].pk, "hide", "moderator", "Contraire à la charte", idea.pk, hidden.pk, None),
        ]
        assert "actor" not in public_log.json()["results"][0]
        # New rows take ids after the copied ones.
        assert Comment.objects.create(target=idea, text="Après").pk > hidden.pk

        Comment.objects.filter(text="Après").delete()
        migrate(BEFORE)
        assert old_rows(old_models()) == before
        assert not Vote.objects.exists() and not ModerationAction.objects.exists()
    finally:
        migrate(leaves)
