# SPDX-License-Identifier: AGPL-3.0-or-later
"""A winner's followers hear of its news, through the real Celery worker: after the
commit, once each, never its author, never one who refused that kind of e-mail."""

import time

import pytest
from django.utils import timezone

from carto_concertation.accounts.services import user_profile_update
from carto_concertation.budgets.services.followup import project_follow, project_update_add
from tests.accounts.test_notifications import worker_mails
from tests.factories import UserFactory

from .followup_world import world_fixture  # noqa: F401


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_followers_get_an_email_of_each_news(world, celery_worker, worker_mail_dir):
    follower = UserFactory(email="suit-le-verger@example.org")
    refuses = user_profile_update(
        user=UserFactory(email="refuse-le-verger@example.org"),
        notifications={"budget_project_news": False},
    )
    for user in (follower, refuses, world.planner):
        project_follow(world.winner, user=user)
    project_follow(world.other_winner, user=UserFactory(email="suit-les-velos@example.org"))

    project_update_add(
        world.winner,
        user=world.planner,
        date=timezone.localdate(),
        text="Les vingt arbres sont plantés.",
        realisation="works",
        progress=80,
    )

    deadline = time.monotonic() + 30
    while not (mails := worker_mails(worker_mail_dir, follower.email)):
        assert time.monotonic() < deadline, "the worker sent nothing within 30 s"
        time.sleep(0.2)
    [mail] = mails
    assert "Verger partagé" in mail["Subject"]
    body = mail.get_content()
    assert "Les vingt arbres sont plantés." in body
    assert f"/budgets/{world.edition.slug}/projets/{world.winner.number}/suivi/" in body
    assert mail["List-Unsubscribe"], "the house's one-click unsubscribe link"
    time.sleep(1)  # what else the worker would send has been sent by now
    assert worker_mails(worker_mail_dir, refuses.email) == []
    assert worker_mails(worker_mail_dir, world.planner.email) == [], "not its own author"
    assert worker_mails(worker_mail_dir, "suit-les-velos@example.org") == []
