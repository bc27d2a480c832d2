# SPDX-License-Identifier: AGPL-3.0-or-later
"""A project's followers hear of its news of the works by e-mail, in French: once each,
after the commit, never its author, never one who refused that kind of e-mail."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carto_concertation.accounts.services import notifications_unsubscribe
from carto_concertation.crowdfunding.services.followup import project_follow, works_news_post
from tests.factories import UserFactory

from .followup_world import funded, world_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.french]


def to(mailoutbox, user) -> list:
    return [mail for mail in mailoutbox if mail.to == [user.email]]


def test_followers_hear_of_a_news_but_not_its_author_nor_who_refused(
    world, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    follower, refuser = UserFactory(), UserFactory()
    for user in (follower, refuser, world.porteur):
        project_follow(user=user, project=world.project)
    notifications_unsubscribe(user_id=refuser.pk, kind="crowdfunding_project_news")
    other_follower = UserFactory()
    project_follow(user=other_follower, project=funded(title="Épicerie du village"))

    with django_capture_on_commit_callbacks(execute=True):
        works_news_post(
            user=world.porteur,
            project=world.project,
            date=timezone.localdate(),
            text="Les 48 panneaux sont posés <enfin> & raccordés.",
        )

    [mail] = to(mailoutbox, follower)
    assert mail.subject == "Nouvelles des travaux : « Toiture solaire de l’école »"
    assert "Les 48 panneaux sont posés <enfin> & raccordés." in mail.body
    assert f"/financement/{world.project.slug}/" in mail.body
    assert "Association Énergies citoyennes" in mail.body
    assert to(mailoutbox, refuser) == []
    assert to(mailoutbox, world.porteur) == [], "not its own author"
    assert to(mailoutbox, other_follower) == []


def test_the_inauguration_says_so_and_the_porteur_hears_an_agent_s_news(
    world, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    project_follow(user=world.porteur, project=world.project)
    with django_capture_on_commit_callbacks(execute=True):
        works_news_post(
            user=world.planner,
            project=world.project,
            date=timezone.localdate(),
            text="Inaugurée ce samedi avec les élèves.",
            inaugurated=True,
        )
    [mail] = to(mailoutbox, world.porteur)
    assert mail.subject == "Inauguration : « Toiture solaire de l’école »"


def test_a_refused_news_sends_nothing(
    world, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    project_follow(user=UserFactory(), project=world.project)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        works_news_post(user=world.porteur, project=world.project, date=None, text="Travaux.")
    assert mailoutbox == []
