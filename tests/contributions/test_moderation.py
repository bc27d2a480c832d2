# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reports, the moderators' queue, hiding with a public placeholder, restoring,
before-publication mode, and the public moderation log."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.services import role_grant
from carto_concertation.concertations.models import Concertation
from carto_concertation.contributions.comments import comment_create
from carto_concertation.contributions.models import Contribution, IdeasSettings
from carto_concertation.contributions.moderation import report_create
from carto_concertation.contributions.photos import photo_store
from carto_concertation.core.photos import photo_prepare
from carto_concertation.engagement.models import Comment, ModerationAction, Report
from tests.factories import TerritoryFactory, UserFactory, user_with_role

from .conftest import demo_user, make_idea, url

pytestmark = pytest.mark.django_db

REASON = "Propos injurieux envers un voisin"


@pytest.fixture
def idea(open_concertation):
    return make_idea(open_concertation, UserFactory(), title="Chez M. Martin", text="Texte.")


def moderate(client, concertation, target, action, reason=REASON, kind="contributions"):
    path = (
        url(concertation, "moderation", target.pk)
        if kind == "contributions"
        else f"/api/v1/concertations/{concertation.slug}/comments/{target.pk}/moderation"
    )
    return client.post(
        path,
        {"action": action, "reason": reason},
        content_type="application/json",
        headers={"accept-language": "en"},
    )


def queue(client, concertation):
    return client.get(f"/api/v1/concertations/{concertation.slug}/moderation/queue")


def log(client, concertation):
    return client.get(f"/api/v1/concertations/{concertation.slug}/moderation/log")


def test_a_report_goes_to_the_queue_once_per_person(
    client, open_concertation, idea, author, moderator
):
    target = url(open_concertation, "report", idea.pk)
    assert (
        client.post(target, {"reason": REASON}, content_type="application/json").status_code == 201
    )
    again = client.post(target, {"reason": "encore"}, content_type="application/json")
    assert again.status_code == 400 and "reason" in again.json()
    client.force_login(UserFactory())
    client.post(target, {"reason": "Adresse personnelle"}, content_type="application/json")

    client.force_login(moderator)
    response = queue(client, open_concertation)
    assert response.status_code == 200
    queued = response.json()["contributions"]
    assert [q["id"] for q in queued] == [idea.pk]
    assert [r["reason"] for r in queued[0]["reports"]] == [REASON, "Adresse personnelle"]
    assert author.pseudonym not in response.content.decode()  # reporters stay unnamed


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"reason": ""}, "reason"), ({"reason": "\x07\x1b"}, "reason"), ({}, "reason")],
)
def test_a_report_needs_a_reason(client, open_concertation, idea, author, payload, field):
    response = client.post(
        url(open_concertation, "report", idea.pk), payload, content_type="application/json"
    )
    assert response.status_code == 400 and field in response.json()
    assert not Report.objects.filter(contribution=idea).exists()


def test_anonymous_visitors_cannot_report(client, open_concertation, idea):
    response = client.post(
        url(open_concertation, "report", idea.pk),
        {"reason": REASON},
        content_type="application/json",
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "who", [None, "habitant@demo.invalid", "urbanisme@demo.invalid", "relais@demo.invalid"]
)
def test_only_moderators_see_the_queue_and_act(client, open_concertation, idea, who):
    if who:
        client.force_login(demo_user(who))
    assert queue(client, open_concertation).status_code == 403
    assert moderate(client, open_concertation, idea, "hide").status_code == 403
    idea.refresh_from_db()
    assert idea.status == "published"


def test_a_moderator_of_another_territory_cannot_act(client, open_concertation, idea):
    outsider = UserFactory()
    role_grant(user=outsider, role="moderator", territory=TerritoryFactory())
    client.force_login(outsider)
    assert moderate(client, open_concertation, idea, "hide").status_code == 403
    assert queue(client, open_concertation).status_code == 403


def test_hiding_leaves_a_public_placeholder_with_the_reason(
    client,
    open_concertation,
    idea,
    moderator,
    eager_tasks,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    photo = photo_store(
        contribution=idea,
        prepared=photo_prepare(upload=SimpleUploadedFile("p.png", png_bytes())),
        stored=[],
    )
    report_create(reporter=UserFactory(), reason=REASON, contribution=idea)
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = moderate(client, open_concertation, idea, "hide")
    assert response.status_code == 200, response.json()

    client.logout()
    for feature in (
        client.get(url(open_concertation, pk=idea.pk), headers={"accept-language": "en"}).json(),
        client.get(url(open_concertation), headers={"accept-language": "en"}).json()["features"][0],
    ):
        properties = feature["properties"]
        assert feature["geometry"] is None
        assert properties["status"] == "hidden"
        assert properties["title"] == f"Hidden by moderation: {REASON}"
        assert (properties["text"], properties["author"], properties["photos"]) == ("", None, [])
        assert "Chez M. Martin" not in str(feature)
    assert client.get(f"/api/v1/photos/{photo.pk}.jpg").status_code == 404
    # Those who still see the hidden idea see its photo, kept in no shared cache: its
    # author, the moderators and planners of its territory; nobody else.
    planner = user_with_role(Role.PLANNER, territory=open_concertation.territory)
    elsewhere = user_with_role(Role.PLANNER, territory=TerritoryFactory())
    for person, status in ((idea.author, 200), (moderator, 200), (planner, 200), (elsewhere, 404)):
        client.force_login(person)
        answer = client.get(f"/api/v1/photos/{photo.pk}.jpg")
        assert answer.status_code == status, person
        if status == 200:
            assert answer["Cache-Control"] == "private, no-store"
    client.force_login(UserFactory())
    vote = client.put(
        url(open_concertation, "vote", idea.pk), {"value": 1}, content_type="application/json"
    )
    assert vote.status_code == 400 and "contribution" in vote.json()
    assert Report.objects.get(contribution=idea).resolved_at is not None
    client.force_login(moderator)
    assert queue(client, open_concertation).json()["contributions"] == []
    assert [m.to for m in mailoutbox] == [[idea.author.email]]
    assert REASON in mailoutbox[0].body


def png_bytes() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 20, 30)).save(output, "PNG")
    return output.getvalue()


def test_hiding_needs_a_reason(client, open_concertation, idea, moderator):
    client.force_login(moderator)
    response = moderate(client, open_concertation, idea, "hide", reason="")
    assert response.status_code == 400 and "reason" in response.json()
    idea.refresh_from_db()
    assert idea.status == "published"
    assert not ModerationAction.objects.filter(concertation=open_concertation).exists()


def test_restoring_brings_back_the_status_it_had(client, open_concertation, idea, moderator):
    Contribution.objects.filter(pk=idea.pk).update(status="under_study")
    client.force_login(moderator)
    moderate(client, open_concertation, idea, "hide")
    response = moderate(client, open_concertation, idea, "restore", reason="Erreur de ma part")
    assert response.status_code == 200
    assert response.json()["properties"]["status"] == "under_study"
    assert response.json()["properties"]["title"] == "Chez M. Martin"
    assert moderate(client, open_concertation, idea, "restore").status_code == 400
    assert moderate(client, open_concertation, idea, "approve").status_code == 400


def test_before_publication_nothing_is_visible_until_approved(
    client,
    open_concertation,
    moderator,
    eager_tasks,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    IdeasSettings.objects.filter(space_module__concertation=open_concertation).update(
        moderation=IdeasSettings.Moderation.BEFORE
    )
    writer = UserFactory()
    idea = make_idea(Concertation.objects.get(pk=open_concertation.pk), writer)
    assert idea.status == "submitted"
    assert client.get(url(open_concertation)).json()["features"] == []
    assert client.get(url(open_concertation, pk=idea.pk)).status_code == 404
    client.force_login(writer)
    assert (
        client.get(url(open_concertation, pk=idea.pk)).json()["properties"]["status"] == "submitted"
    )
    client.force_login(UserFactory())
    assert (
        client.post(
            url(open_concertation, "report", idea.pk),
            {"reason": "x"},
            content_type="application/json",
        ).status_code
        == 400
    )

    client.force_login(moderator)
    assert [q["id"] for q in queue(client, open_concertation).json()["contributions"]] == [idea.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert moderate(client, open_concertation, idea, "approve", reason="").status_code == 200
    client.logout()
    assert [f["id"] for f in client.get(url(open_concertation)).json()["features"]] == [idea.pk]
    assert [m.to for m in mailoutbox] == [[writer.email]]


def test_before_publication_an_edit_goes_back_to_the_moderators(
    client, open_concertation, moderator
):
    IdeasSettings.objects.filter(space_module__concertation=open_concertation).update(
        moderation=IdeasSettings.Moderation.BEFORE
    )
    writer = UserFactory()
    idea = make_idea(Concertation.objects.get(pk=open_concertation.pk), writer)
    Contribution.objects.filter(pk=idea.pk).update(status="published")
    client.force_login(writer)
    response = client.patch(
        url(open_concertation, pk=idea.pk), {"title": "Autre"}, content_type="application/json"
    )
    assert response.json()["properties"]["status"] == "submitted"


def test_a_comment_is_hidden_with_a_placeholder_and_restored(
    client, open_concertation, idea, moderator
):
    comment = comment_create(contribution=idea, author=UserFactory(), text="Insulte")
    report_create(reporter=UserFactory(), reason="Insulte", comment=comment)
    client.force_login(moderator)
    assert [c["id"] for c in queue(client, open_concertation).json()["comments"]] == [comment.pk]
    response = moderate(client, open_concertation, comment, "hide", kind="comments")
    assert response.status_code == 200, response.json()
    threads = client.get(
        url(open_concertation, "comments/", idea.pk), headers={"accept-language": "en"}
    ).json()
    assert [(t["text"], t["author"]) for t in threads] == [
        (f"Hidden by moderation: {REASON}", None)
    ]
    assert queue(client, open_concertation).json()["comments"] == []
    assert (
        moderate(client, open_concertation, comment, "restore", kind="comments").status_code == 200
    )
    assert Comment.objects.get(pk=comment.pk).status == "published"


def test_a_reported_comment_may_be_kept(client, open_concertation, idea, moderator):
    comment = comment_create(contribution=idea, author=UserFactory(), text="Critique vive")
    report_create(reporter=UserFactory(), reason="Je n'aime pas", comment=comment)
    client.force_login(moderator)
    assert (
        moderate(
            client,
            open_concertation,
            comment,
            "approve",
            reason="Critique légitime",
            kind="comments",
        ).status_code
        == 200
    )
    assert queue(client, open_concertation).json()["comments"] == []
    assert (
        moderate(client, open_concertation, comment, "approve", kind="comments").status_code == 400
    )


def test_the_public_log_names_roles_never_people(
    client, open_concertation, idea, moderator, planner
):
    client.force_login(moderator)
    moderate(client, open_concertation, idea, "hide")
    moderate(client, open_concertation, idea, "restore", reason="")
    client.force_login(planner)
    client.post(
        url(open_concertation, "answer", idea.pk),
        {"status": "under_study"},
        content_type="application/json",
    )
    client.logout()
    response = log(client, open_concertation)
    assert response.status_code == 200
    entries = response.json()["results"]
    assert [(e["action"], e["role"], e["contribution"]) for e in entries] == [
        ("study", "planner", idea.pk),
        ("restore", "moderator", idea.pk),
        ("hide", "moderator", idea.pk),
    ]
    assert entries[2]["reason"] == REASON
    body = response.content.decode()
    for person in (moderator, planner):
        assert person.pseudonym not in body and person.email not in body
    assert "actor" not in entries[0]
