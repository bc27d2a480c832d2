# SPDX-License-Identifier: AGPL-3.0-or-later
"""Following an idea: from its page or the API, undone the same ways; the followers get
an e-mail when it is answered or changes status (never of a hidden idea's words), and
not its author, who hears of the answer by the answer's own notice."""

import pytest
from django.urls import reverse
from django.utils import translation

from carto_concertation.accounts.services import notifications_unsubscribe
from carto_concertation.contributions.models import Contribution, Follow
from carto_concertation.contributions.moderation import contribution_answer, contribution_hide
from carto_concertation.contributions.services import contribution_withdraw
from tests.factories import UserFactory

from .conftest import make_idea, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(open_concertation):
    return make_idea(open_concertation, UserFactory(), title="Un abri vélo à la gare")


def follow_page(idea: Contribution) -> str:
    return reverse("idea-follow", args=[idea.concertation.slug, idea.pk])


def test_follow_and_unfollow_from_the_page(client, idea):
    follower = UserFactory()
    client.force_login(follower)
    assert client.post(follow_page(idea), {"follow": "1"}).status_code == 302
    assert client.post(follow_page(idea), {"follow": "1"}).status_code == 302  # twice: once
    assert Follow.objects.filter(contribution=idea, user=follower).count() == 1
    html = client.get(reverse("idea", args=[idea.concertation.slug, idea.pk])).content.decode()
    assert "Ne plus suivre" in html
    client.post(follow_page(idea), {"follow": "0"})
    assert not Follow.objects.filter(contribution=idea).exists()


def test_follow_and_unfollow_through_the_api(client, idea):
    follower = UserFactory()
    client.force_login(follower)
    target = url(idea.concertation, "follow", idea.pk)
    assert client.put(target).json() == {"following": True}
    state = client.get(url(idea.concertation, "me", idea.pk)).json()
    assert state == {
        "vote": None,
        "following": True,
        "is_author": False,
        "can_edit": False,
        "can_withdraw": False,
    }
    assert client.delete(target).json() == {"following": False}
    assert not Follow.objects.exists()
    client.logout()
    assert client.put(target).status_code in (401, 403)


def test_the_author_s_state_says_what_they_may_do(client, idea):
    client.force_login(idea.author)
    state = client.get(url(idea.concertation, "me", idea.pk)).json()
    assert state["is_author"] and state["can_edit"] and state["can_withdraw"]


def test_followers_get_an_e_mail_when_it_is_answered(
    idea, planner, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    follower, refuser = UserFactory(), UserFactory()
    Follow.objects.create(contribution=idea, user=follower)
    Follow.objects.create(contribution=idea, user=refuser)
    Follow.objects.create(contribution=idea, user=idea.author)
    notifications_unsubscribe(user_id=refuser.pk, kind="follow")
    with django_capture_on_commit_callbacks(execute=True), translation.override("fr"):
        contribution_answer(
            contribution=idea,
            actor=planner,
            status=Contribution.Status.RETAINED,
            answer="Un abri sera posé en 2027.",
            answer_service="Service mobilité",
        )
    to_follower = [m for m in mailoutbox if m.to == [follower.email]]
    assert len(to_follower) == 1
    mail = to_follower[0]
    assert "Un abri vélo à la gare" in mail.subject
    assert "Un abri sera posé en 2027." in mail.body
    assert "retenue" in mail.body
    assert f"/idees/{idea.pk}/" in mail.body  # the page, where one stops following
    assert not [m for m in mailoutbox if m.to == [refuser.email]]
    # Its author hears of it once, by the answer's notice.
    assert len([m for m in mailoutbox if m.to == [idea.author.email]]) == 1


def test_followers_hear_of_a_withdrawal_but_not_of_a_hidden_idea(
    idea, moderator, eager_tasks, mailoutbox, django_capture_on_commit_callbacks, open_concertation
):
    follower = UserFactory()
    Follow.objects.create(contribution=idea, user=follower)
    with django_capture_on_commit_callbacks(execute=True):
        contribution_hide(contribution=idea, actor=moderator, reason="Hors charte")
    assert not [m for m in mailoutbox if m.to == [follower.email]]

    other = make_idea(open_concertation, UserFactory(), title="Un banc", nth=1)
    Follow.objects.create(contribution=other, user=follower)
    with django_capture_on_commit_callbacks(execute=True), translation.override("fr"):
        contribution_withdraw(contribution=other, user=other.author)
    mails = [m for m in mailoutbox if m.to == [follower.email]]
    assert len(mails) == 1 and "retirée par son auteur" in mails[0].body


def test_a_fourth_photo_is_refused_with_the_field_and_reason(client, idea):
    from .test_photos import png_with_alpha, upload

    client.force_login(idea.author)
    target = url(idea.concertation, "photos/", idea.pk)
    for _ in range(3):
        assert client.post(target, {"image": upload(png_with_alpha())}).status_code == 201
    response = client.post(target, {"image": upload(png_with_alpha())})
    assert response.status_code == 400
    assert response.json() == {"image": ["Au plus 3 photos par contribution."]}
    assert idea.photos.count() == 3
