# SPDX-License-Identifier: AGPL-3.0-or-later
"""A moderator bans an account from a territory on a page in French: what it writes
there (ideas, changes, comments) waits in the moderators' queue, unseen by others and
unannounced, its votes are kept but not counted, and it is answered as anyone; the ban is
recorded, lifted or ended."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.contributions.comments import comment_create
from carto_concertation.contributions.models import Contribution
from carto_concertation.contributions.services import contribution_update
from carto_concertation.engagement.models import Ban, Comment, Vote
from tests.factories import TerritoryFactory, UserFactory
from tests.factories.accounts import user_with_role
from tests.worlds import lonlat_in, make_idea

pytestmark = pytest.mark.django_db

IDEAS = "/api/v1/concertations/{slug}/contributions/"


@pytest.fixture
def space(small_open_concertation):
    return small_open_concertation


@pytest.fixture
def moderator(space):
    return user_with_role(Role.MODERATOR, territory=space.territory)


@pytest.fixture
def banned(client, space, moderator):
    """An account banned through the page, signed in on ``client``."""
    person = UserFactory(pseudonym="Importun")
    client.force_login(moderator)
    response = client.post(
        "/moderation/comptes/bannis/",
        {"territory": space.territory.pk, "account": "importun", "reason": "Insultes répétées"},
    )
    assert response.status_code == 302
    client.force_login(person)
    return person


def post_idea(client, space, title="Un banc"):
    return client.post(
        IDEAS.format(slug=space.slug),
        {
            "title": title,
            "text": "Au soleil.",
            "geometry": {"type": "Point", "coordinates": lonlat_in("UB")},
        },
        content_type="application/json",
    )


def queue_of(client, moderator, space) -> str:
    client.force_login(moderator)
    return client.get(f"/moderation/{space.slug}/").content.decode()


def test_the_ban_page_is_in_french_and_records_who_decided(client, space, moderator):
    client.force_login(moderator)
    UserFactory(pseudonym="Importun")
    page = client.get("/moderation/comptes/bannis/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Comptes bannis" in page.content.decode()
    client.post(
        "/moderation/comptes/bannis/",
        {
            "territory": space.territory.pk,
            "account": "Importun",
            "reason": "Spam",
            "ends_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )
    ban = Ban.objects.get()
    assert (ban.banned_by, ban.reason, ban.lifted_at) == (moderator, "Spam", None)
    assert timezone.localtime(ban.ends_at).date() == timezone.localdate() + timedelta(days=8)
    page = client.get("/moderation/comptes/bannis/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Importun" in page and "Spam" in page


def test_bad_input_names_the_field(client, space, moderator):
    client.force_login(moderator)
    nobody = client.post(
        "/moderation/comptes/bannis/",
        {"territory": space.territory.pk, "account": "personne", "reason": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    past = client.post(
        "/moderation/comptes/bannis/",
        {
            "territory": space.territory.pk,
            "account": UserFactory().pseudonym,
            "reason": "x",
            "ends_on": "2001-01-01",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    elsewhere = client.post(
        "/moderation/comptes/bannis/",
        {"territory": TerritoryFactory().pk, "account": UserFactory().pseudonym, "reason": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert nobody.status_code == past.status_code == elsewhere.status_code == 400
    assert "No account has this pseudonym" in nobody.content.decode()
    assert "The end of a ban is to come." in past.content.decode()
    assert 'id="territory-errors"' in elsewhere.content.decode()
    assert not Ban.objects.exists()


def test_only_the_territorys_moderators_ban_and_lift(client, space, moderator, banned):
    ban = Ban.objects.get()
    other = user_with_role(Role.MODERATOR, territory=TerritoryFactory())
    for person in (UserFactory(), banned):
        client.force_login(person)
        assert client.get("/moderation/comptes/bannis/").status_code == 403
    client.force_login(other)
    assert client.post(f"/moderation/comptes/bannis/{ban.pk}/lever/").status_code == 404
    assert Ban.objects.in_force().exists()
    client.force_login(moderator)
    assert client.post(f"/moderation/comptes/bannis/{ban.pk}/lever/").status_code == 302
    ban.refresh_from_db()
    assert (ban.lifted_by, ban.lifted_at is not None) == (moderator, True)


def test_a_banned_accounts_idea_waits_unseen_and_it_is_answered_alike(
    client, space, moderator, banned
):
    response = post_idea(client, space, title="Idée de Importun")
    assert response.status_code == 201
    idea = Contribution.objects.get(title="Idée de Importun")
    assert idea.status == Contribution.Status.SUBMITTED
    client.logout()
    listed = client.get(IDEAS.format(slug=space.slug)).json()
    assert idea.pk not in [f["id"] for f in listed["features"]]
    assert "Idée de Importun" in queue_of(client, moderator, space)


def test_a_banned_authors_edit_goes_back_to_the_moderators(space, moderator):
    author = UserFactory()
    idea = make_idea(space, author)
    assert idea.status == Contribution.Status.PUBLISHED
    Ban.objects.create(territory=space.territory, user=author, reason="x", banned_by=moderator)
    edited = contribution_update(contribution=idea, user=author, title="Changée")
    assert edited.status == Contribution.Status.SUBMITTED


def test_a_banned_accounts_comment_waits_and_notifies_nobody(space, moderator, mailoutbox):
    idea = make_idea(space, UserFactory())
    first = comment_create(contribution=idea, author=UserFactory(), text="Bonne idée")
    person = UserFactory()
    Ban.objects.create(territory=space.territory, user=person, reason="x", banned_by=moderator)
    reply = comment_create(contribution=idea, author=person, text="Réponse", parent=first)
    assert reply.status == Comment.Status.SUBMITTED
    assert mailoutbox == []


def test_a_banned_accounts_vote_is_kept_and_not_counted(client, space, moderator, banned):
    idea = make_idea(space, UserFactory())
    url = f"/api/v1/concertations/{space.slug}/contributions/{idea.pk}/vote"
    assert client.put(url, {"value": 1}, content_type="application/json").status_code in (200, 201)
    assert Vote.objects.get(voter=banned).counted is False
    idea.refresh_from_db()
    assert idea.votes_for == 0
    # Lifted, the next vote counts; withdrawn, the tally moves back to nothing.
    Ban.objects.update(lifted_at=timezone.now())
    client.put(url, {"value": 1}, content_type="application/json")
    idea.refresh_from_db()
    assert idea.votes_for == 1
    client.delete(url)
    idea.refresh_from_db()
    assert idea.votes_for == 0


def test_an_ended_ban_applies_no_more(space, moderator):
    person = UserFactory()
    Ban.objects.create(
        territory=space.territory,
        user=person,
        reason="x",
        banned_by=moderator,
        ends_at=timezone.now() - timedelta(minutes=1),
    )
    elsewhere = Ban.objects.create(
        territory=TerritoryFactory(), user=UserFactory(), reason="x", banned_by=moderator
    )
    assert make_idea(space, person).status == Contribution.Status.PUBLISHED
    assert make_idea(space, elsewhere.user).status == Contribution.Status.PUBLISHED
