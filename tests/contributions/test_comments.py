# SPDX-License-Identifier: AGPL-3.0-or-later
"""The debate: comments and replies (two levels), moderated as contributions are."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carto_concertation.concertations.models import Phase
from carto_concertation.contributions.comments import comment_create
from carto_concertation.contributions.models import Contribution, IdeasSettings
from carto_concertation.engagement.models import Comment
from tests.factories import UserFactory

from .conftest import make_idea, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(open_concertation):
    return make_idea(open_concertation, UserFactory(), title="Un parking relais")


def post_comment(client, concertation, idea, **payload):
    return client.post(
        url(concertation, "comments/", idea.pk),
        payload,
        content_type="application/json",
        headers={"accept-language": "en"},
    )


def test_comment_and_reply_make_a_two_level_thread(client, open_concertation, idea, author):
    first = post_comment(
        client, open_concertation, idea, text="<b>Bonne</b> idée <script>x()</script>"
    )
    assert first.status_code == 201, first.json()
    assert first.json()["text"] == "<b>Bonne</b> idée <script>x()</script>"
    replier = UserFactory()
    client.force_login(replier)
    reply = post_comment(
        client, open_concertation, idea, text="Je suis d'accord.", parent=first.json()["id"]
    )
    assert reply.status_code == 201

    client.logout()
    threads = client.get(url(open_concertation, "comments/", idea.pk)).json()
    assert [(t["author"], t["text"]) for t in threads] == [
        (author.pseudonym, "<b>Bonne</b> idée <script>x()</script>")
    ]
    assert [(r["author"], r["text"], r["parent"]) for r in threads[0]["replies"]] == [
        (replier.pseudonym, "Je suis d'accord.", first.json()["id"])
    ]
    assert author.email not in str(threads)
    feature = client.get(url(open_concertation, pk=idea.pk)).json()
    assert feature["properties"]["comment_count"] == 2


def test_a_reply_notifies_the_parent_s_author(
    client, open_concertation, idea, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    parent_author = UserFactory()
    parent = comment_create(contribution=idea, author=parent_author, text="Pourquoi ici ?")
    replier = UserFactory()
    client.force_login(replier)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(
            client, open_concertation, idea, text="Parce que.", parent=parent.pk
        )
    assert response.status_code == 201
    assert [m.to for m in mailoutbox] == [[parent_author.email]]
    assert "Parce que." in mailoutbox[0].body
    assert replier.pseudonym in mailoutbox[0].body
    # Replying to oneself notifies no one.
    mailoutbox.clear()
    client.force_login(parent_author)
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, open_concertation, idea, text="Je précise.", parent=parent.pk)
    assert mailoutbox == []


def test_no_reply_to_a_reply(client, open_concertation, idea, author):
    parent = comment_create(contribution=idea, author=UserFactory(), text="Un")
    reply = comment_create(contribution=idea, author=UserFactory(), text="Deux", parent=parent)
    response = post_comment(client, open_concertation, idea, text="Trois", parent=reply.pk)
    assert response.status_code == 400
    assert "not to another reply" in response.json()["parent"][0]
    assert Comment.objects.filter(contribution=idea).count() == 2


@pytest.mark.parametrize("parent", ["other-contribution", "missing"])
def test_the_parent_must_be_a_comment_of_the_same_idea(
    client, open_concertation, idea, author, parent
):
    if parent == "missing":
        parent_id = 999_999_999
    else:
        other = make_idea(open_concertation, UserFactory(), libelle="A")
        parent_id = comment_create(contribution=other, author=UserFactory(), text="Ailleurs").pk
    response = post_comment(client, open_concertation, idea, text="Réponse", parent=parent_id)
    assert response.status_code == 400
    assert "parent" in response.json()


@pytest.mark.parametrize("text", ["", "   ", "\x1b\n\x07"])
def test_an_empty_comment_is_refused(client, open_concertation, idea, author, text):
    response = post_comment(client, open_concertation, idea, text=text)
    assert response.status_code == 400
    assert "text" in response.json()
    assert not Comment.objects.filter(contribution=idea).exists()


@pytest.mark.parametrize("status", ["submitted", "hidden", "withdrawn", "merged"])
def test_no_comment_on_an_idea_that_is_not_public(client, open_concertation, idea, author, status):
    Contribution.objects.filter(pk=idea.pk).update(
        status=status, moderation_reason="x", merged_into=make_idea(open_concertation, author)
    )
    response = post_comment(client, open_concertation, idea, text="Et alors ?")
    assert response.status_code == 400
    assert "contribution" in response.json()


def test_anonymous_visitors_read_but_cannot_comment(client, open_concertation, idea):
    assert client.get(url(open_concertation, "comments/", idea.pk)).json() == []
    assert post_comment(client, open_concertation, idea, text="Anonyme").status_code == 403


def test_no_comment_after_the_phase_closed(client, open_concertation, idea, author):
    Phase.objects.filter(concertation=open_concertation).update(
        starts_at=timezone.now() - timedelta(days=9), ends_at=timezone.now() - timedelta(days=1)
    )
    response = post_comment(client, open_concertation, idea, text="Trop tard ?")
    assert response.status_code == 400
    assert "concertation" in response.json()


def test_before_publication_a_comment_waits_for_approval_and_then_notifies(
    client,
    open_concertation,
    idea,
    moderator,
    eager_tasks,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    IdeasSettings.objects.filter(space_module__concertation=open_concertation).update(
        moderation=IdeasSettings.Moderation.BEFORE
    )
    parent_author = UserFactory()
    parent = comment_create(contribution=idea, author=parent_author, text="Premier")
    Comment.objects.filter(pk=parent.pk).update(status=Comment.Status.PUBLISHED)
    replier = UserFactory()
    client.force_login(replier)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(
            client, open_concertation, idea, text="En attente", parent=parent.pk
        )
    assert response.json()["status"] == "submitted"
    assert mailoutbox == []
    threads = client.get(url(open_concertation, "comments/", idea.pk)).json()
    assert threads[0]["replies"] == []

    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        approved = client.post(
            f"/api/v1/concertations/{open_concertation.slug}/comments/{response.json()['id']}/moderation",
            {"action": "approve"},
            content_type="application/json",
        )
    assert approved.status_code == 200, approved.json()
    threads = client.get(url(open_concertation, "comments/", idea.pk)).json()
    assert [r["text"] for r in threads[0]["replies"]] == ["En attente"]
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([parent_author.email, replier.email])  # reply + decision
