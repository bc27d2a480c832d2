# SPDX-License-Identifier: AGPL-3.0-or-later
"""An idea's public page (its permalink), the no-JavaScript twin of the map's panel:
what it shows, the placeholder of a hidden idea, and its forms (CSRF, permissions, the
API's rate limits, the vote withdrawn with exact tallies)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from carto_concertation.contributions.comments import comment_create
from carto_concertation.contributions.models import Contribution
from carto_concertation.contributions.moderation import contribution_hide
from carto_concertation.engagement.models import Comment, Vote
from tests.factories import UserFactory

from .conftest import make_idea

pytestmark = pytest.mark.django_db

TYPED = 'Un <b>banc</b> & "une table" <script>alert(1)</script>'


def page_url(idea: Contribution, suffix: str = "") -> str:
    return reverse("idea", args=[idea.concertation.slug, idea.pk]) + suffix


@pytest.fixture
def idea(open_concertation):
    return make_idea(open_concertation, UserFactory(), title=TYPED, text=f"{TYPED}\nLigne 2")


def test_the_page_is_public_and_shows_the_idea_its_place_and_dated_comments(client, idea):
    commenter = UserFactory(pseudonym="Camille")
    comment = comment_create(contribution=idea, author=commenter, text="J'approuve & <i>vite</i>")
    response = client.get(page_url(idea))
    assert response.status_code == 200
    html = response.content.decode()
    # As typed, escaped once: never raw, never twice.
    assert "Un &lt;b&gt;banc&lt;/b&gt; &amp; &quot;une table&quot;" in html
    assert "<script>alert(1)</script>" not in html
    assert "&amp;lt;" not in html
    assert "J&#x27;approuve &amp; &lt;i&gt;vite&lt;/i&gt;" in html
    assert f'id="comment-{comment.pk}"' in html
    assert idea.commune.name in html
    assert f"?idee={idea.pk}&amp;lon=" in html  # the link back to the map, centred on it
    # Anonymous: an invitation to sign in, no form.
    assert reverse("idea-vote", args=[idea.concertation.slug, idea.pk]) not in html


def test_comment_dates_are_shown(client, idea):
    comment_create(contribution=idea, author=UserFactory(), text="Daté.")
    comment = Comment.objects.get(text="Daté.")
    html = client.get(page_url(idea)).content.decode()
    assert f'<time datetime="{timezone.localtime(comment.created_at).isoformat()}">' in html


def test_a_hidden_idea_shows_the_placeholder_alone(client, idea, moderator):
    comment_create(contribution=idea, author=UserFactory(), text="Un commentaire visible")
    contribution_hide(contribution=idea, actor=moderator, reason="Propos hors charte")
    client.force_login(UserFactory())
    html = client.get(page_url(idea)).content.decode()
    assert "Masqué par la modération : Propos hors charte" in html
    assert "banc" not in html
    assert "Un commentaire visible" not in html
    assert idea.commune.name not in html
    assert "csrfmiddlewaretoken" not in html.split("<main")[1]


def test_an_idea_awaiting_moderation_or_withdrawn_is_its_author_s_alone(client, idea):
    Contribution.objects.filter(pk=idea.pk).update(status=Contribution.Status.WITHDRAWN)
    assert client.get(page_url(idea)).status_code == 404
    client.force_login(idea.author)
    assert client.get(page_url(idea)).status_code == 200


def test_support_then_withdraw_it_without_javascript(client, idea):
    voter = UserFactory()
    client.force_login(voter)
    target = page_url(idea, "soutien/")
    response = client.post(target, {"value": "1"})
    assert response.status_code == 302 and response["Location"].endswith("#votes")
    idea.refresh_from_db()
    assert idea.votes_for == 1
    html = client.get(page_url(idea)).content.decode()
    assert "Vous soutenez cette idée." in html
    assert "Retirer mon soutien" in html
    client.post(target, {"value": "0"})
    idea.refresh_from_db()
    assert idea.votes_for == 0
    assert not Vote.objects.of(idea).exists()
    # Withdrawing twice changes nothing (no negative tally).
    client.post(target, {"value": "0"})
    idea.refresh_from_db()
    assert idea.votes_for == 0


def test_the_forms_need_csrf(idea):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    assert browser.post(page_url(idea, "soutien/"), {"value": "1"}).status_code == 403
    assert browser.post(page_url(idea, "commentaires/"), {"text": "x"}).status_code == 403
    idea.refresh_from_db()
    assert idea.votes_for == 0
    html = browser.get(page_url(idea)).content.decode()
    assert html.count("csrfmiddlewaretoken") >= 3  # support, follow, comment


def test_a_comment_without_javascript(client, idea):
    client.force_login(UserFactory())
    response = client.post(page_url(idea, "commentaires/"), {"text": "Bonne idée <b>!</b>"})
    comment = Comment.objects.of(idea).get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert comment.text == "Bonne idée <b>!</b>"
    reply = client.post(
        page_url(idea, "commentaires/"), {"text": "Merci", "parent": str(comment.pk)}
    )
    assert reply.status_code == 302
    assert Comment.objects.of(idea).get(text="Merci").parent_id == comment.pk


def test_anonymous_posts_go_to_sign_in(client, idea):
    response = client.post(page_url(idea, "soutien/"), {"value": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert page_url(idea) in response["Location"]


def test_only_its_author_edits_or_withdraws(client, idea):
    client.force_login(UserFactory())
    assert client.get(page_url(idea, "modifier/")).status_code == 403
    assert (
        client.post(page_url(idea, "modifier/"), {"title": "Pris", "text": "x"}).status_code == 403
    )
    client.post(page_url(idea, "retrait/"))
    idea.refresh_from_db()
    assert idea.status == Contribution.Status.PUBLISHED
    assert idea.title == TYPED

    client.force_login(idea.author)
    html = client.get(page_url(idea)).content.decode()
    assert "Modifier mon idée" in html and "Retirer mon idée" in html
    response = client.post(page_url(idea, "modifier/"), {"title": "", "text": "Un texte"})
    assert response.status_code == 400
    assert "Donnez un titre à votre idée." in response.content.decode()
    response = client.post(page_url(idea, "modifier/"), {"title": "Un banc", "text": "Au parc"})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.title, idea.text) == ("Un banc", "Au parc")
    client.post(page_url(idea, "retrait/"))
    idea.refresh_from_db()
    assert idea.status == Contribution.Status.WITHDRAWN


def test_the_author_cannot_edit_once_the_phase_closed(client, idea):
    phase = idea.concertation.phases.get(kind="contributions")
    phase.ends_at = timezone.now() - timedelta(minutes=1)
    phase.starts_at = phase.ends_at - timedelta(days=2)
    phase.save()
    client.force_login(idea.author)
    assert "Modifier mon idée" not in client.get(page_url(idea)).content.decode()
    client.post(page_url(idea, "modifier/"), {"title": "Changé", "text": "x"})
    idea.refresh_from_db()
    assert idea.title == TYPED


def test_the_forms_count_against_the_api_s_rate_limit(client, idea, settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "vote": "2/min"},
    }
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    api_settings.reload()
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        client.force_login(UserFactory())
        statuses = [
            client.post(page_url(idea, "soutien/"), {"value": v}).status_code for v in "101"
        ]
    finally:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
        api_settings.reload()
        SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert statuses == [302, 302, 429]


def test_the_map_list_links_to_the_idea_page(client, idea):
    html = client.get(reverse("concertation", args=[idea.concertation.slug])).content.decode()
    assert f'href="{page_url(idea)}"' in html


def test_the_map_page_tells_the_current_step_and_the_closing_date(client, open_concertation):
    phase = open_concertation.phases.get(kind="contributions")
    html = client.get(reverse("concertation", args=[open_concertation.slug])).content.decode()
    assert "Étape en cours : contributions ouvertes" in html
    assert 'aria-current="step"' in html
    with translation.override("fr"):
        closing = date_format(timezone.localtime(phase.ends_at), "DATETIME_FORMAT")
    assert f"Les idées sont reçues jusqu'au {closing}." in html


def test_odd_form_values_are_refused_not_errors(client, idea):
    client.force_login(UserFactory())
    assert client.post(page_url(idea, "soutien/"), {"value": "beaucoup"}).status_code == 302
    assert client.post(page_url(idea, "soutien/"), {"value": "7"}).status_code == 302
    response = client.post(page_url(idea, "commentaires/"), {"text": "Oui", "parent": "x\x00"})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.votes_for == 0
    assert Comment.objects.of(idea).get().parent_id is None
