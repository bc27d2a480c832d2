# SPDX-License-Identifier: AGPL-3.0-or-later
"""The e-mail choices move from three User columns to rows (migrations 0004 to 0006) and
every person keeps theirs, both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from carto_concertation.accounts.models import NotificationPreference, User
from carto_concertation.accounts.selectors import notification_choices
from carto_concertation.core.modules import notification_kinds

BEFORE = [("accounts", "0004_notification_preference")]

# Each person's three columns (answers, replies, moderation) before the migration.
PEOPLE = {
    "all@example.org": (True, True, True),
    "none@example.org": (False, False, False),
    "replies-off@example.org": (True, False, True),
    "answers-only@example.org": (True, False, False),
}


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def columns(targets) -> dict[str, tuple[bool, bool, bool]]:
    """Every person's three columns, read through the models of that state."""
    old_user = (
        MigrationExecutor(connection)
        .loader.project_state(targets)
        .apps.get_model("accounts", "User")
    )
    rows = old_user.objects.values_list(
        "email", "notify_answers", "notify_replies", "notify_moderation"
    )
    return {email: tuple(choices) for email, *choices in rows}


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_each_person_s_choices_both_ways():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    migrate(BEFORE)
    try:
        old_user = (
            MigrationExecutor(connection)
            .loader.project_state(BEFORE)
            .apps.get_model("accounts", "User")
        )
        for email, (answers, replies, moderation) in PEOPLE.items():
            old_user.objects.create(
                email=email,
                pseudonym=email.split("@")[0],
                notify_answers=answers,
                notify_replies=replies,
                notify_moderation=moderation,
            )

        # To the latest migrations (0006 and the later ones): today's models read the rows.
        migrate(leaves)
        for email, (answers, replies, moderation) in PEOPLE.items():
            person = User.objects.get(email=email)
            # The kinds added since (following an idea, the signalements'): their defaults.
            expected = {kind.key: kind.default for kind in notification_kinds()}
            expected |= {"answer": answers, "reply": replies, "moderation": moderation}
            assert notification_choices(user=person) == expected, email
        # Only the refusals are rows: an accepted column was the default.
        assert NotificationPreference.objects.filter(accepted=True).count() == 0
        assert NotificationPreference.objects.count() == 6

        migrate(BEFORE)
        assert columns(BEFORE) == PEOPLE
        assert not NotificationPreference.objects.exists()
    finally:
        migrate(leaves)
