# SPDX-License-Identifier: AGPL-3.0-or-later
"""The moderators' back office (/moderation/), the report page (/signaler/…) and the
public moderation log page, through the pages alone (the ideas and their comments, as
the ideas module declares them): who may, what each action changes and logs, what the
public log shows, text kept as typed."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from carto_concertation.accounts.models import Role
from carto_concertation.concertations.models import Concertation
from carto_concertation.concertations.services import space_module_add
from carto_concertation.contributions.comments import comment_create
from carto_concertation.contributions.models import Contribution, IdeasSettings
from carto_concertation.contributions.moderation import contribution_hide, report_create
from carto_concertation.core.modules import ModuleManifest, module_register, module_unregister
from carto_concertation.core.modules.declarations import ModeratedModel, ModerationEntry
from carto_concertation.engagement.models import Comment, ModerationAction, Report
from carto_concertation.territories.services import territory_modules_switch
from tests.factories import ConcertationFactory, TerritoryFactory, UserFactory
from tests.factories.accounts import user_with_role
from tests.worlds import demo_user, make_idea

pytestmark = pytest.mark.django_db

IDEA = "contributions.contribution"
COMMENT = "engagement.comment"
TYPED = '<b>&amp; "l\'été"'


@pytest.fixture(autouse=True)
def english_pages(request, client):
    """The pages in English (the messages asserted), but in a test marked french."""
    if not request.node.get_closest_marker("french"):
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def space(small_open_concertation) -> Concertation:
    return small_open_concertation


@pytest.fixture
def moderator(client) -> object:
    user = demo_user("moderation@demo.invalid")
    client.force_login(user)
    return user


@pytest.fixture
def idea(space):
    return make_idea(space, UserFactory(), title="Un banc place de l'église", text="Texte.")


def reported(idea, reason="Propos injurieux envers un voisin"):
    return report_create(reporter=UserFactory(), reason=reason, contribution=idea)


def act(client, space, model, pk, action, **data):
    return client.post(f"/moderation/{space.slug}/{model}/{pk}/{action}/", data)


def before_publication(space):
    IdeasSettings.objects.filter(space_module__concertation=space).update(
        moderation=IdeasSettings.Moderation.BEFORE
    )


# --- Who may ----------------------------------------------------------------------------


def test_a_resident_and_a_moderator_elsewhere_are_refused_everywhere(client, space, idea):
    reported(idea)
    other = TerritoryFactory()
    for user in (UserFactory(), user_with_role(Role.MODERATOR, territory=other)):
        client.force_login(user)
        assert client.get(f"/moderation/{space.slug}/").status_code == 403
        for action in ("approve", "hide", "restore"):
            response = act(client, space, IDEA, idea.pk, action, choice="off_topic")
            assert response.status_code == 403
        merge = f"/moderation/{space.slug}/{IDEA}/{idea.pk}/fusion/"
        assert client.get(merge).status_code == 403
        assert client.post(merge, {"into": idea.pk}).status_code == 403
    # A resident moderates nowhere; the other territory's moderator sees only theirs.
    client.force_login(UserFactory())
    assert client.get("/moderation/").status_code == 403
    client.force_login(user_with_role(Role.MODERATOR, territory=other))
    page = client.get("/moderation/")
    assert page.status_code == 200 and space.title not in page.content.decode()
    client.logout()
    assert client.get(f"/moderation/{space.slug}/")["location"].startswith("/accounts/login/")
    assert Contribution.objects.get(pk=idea.pk).status == "published"
    assert not ModerationAction.objects.exists()


def test_every_action_needs_the_csrf_token(space, idea):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_user("moderation@demo.invalid"))
    response = act(client, space, IDEA, idea.pk, "hide", choice="off_topic")
    assert response.status_code == 403
    assert Contribution.objects.get(pk=idea.pk).status == "published"


def test_an_unknown_space_model_or_action_is_404(client, space, idea, moderator):
    assert client.get("/moderation/nowhere/").status_code == 404
    assert act(client, space, "accounts.user", idea.pk, "hide").status_code == 404
    assert act(client, space, IDEA, idea.pk, "delete").status_code == 404
    assert act(client, space, IDEA, 999999, "hide").status_code == 404


# --- The overview and the queue ----------------------------------------------------------


def test_the_overview_and_the_queue_count_and_list_what_waits(client, space, moderator):
    before_publication(space)
    waiting = make_idea(Concertation.objects.get(pk=space.pk), UserFactory(), title="En attente")
    IdeasSettings.objects.filter(space_module__concertation=space).update(moderation="after")
    shown = make_idea(space, UserFactory(), title="Signalée")
    reported(shown, reason="Publicité pour un garage")
    reported(shown, reason="Hors sujet")
    hidden = make_idea(space, UserFactory(), title="Masquée")
    contribution_hide(contribution=hidden, actor=moderator, reason="Doublon")
    comment = comment_create(contribution=shown, author=UserFactory(), text="Un commentaire")
    report_create(reporter=UserFactory(), reason="Données personnelles", comment=comment)

    overview = client.get("/moderation/")
    assert overview.status_code == 200
    row = overview.content.decode()
    assert f'href="/moderation/{space.slug}/"' in row
    assert [s.counts for t in overview.context["overview"] for s in t.spaces] == [
        {"waiting": 1, "reported": 2, "hidden": 1}
    ]

    page = client.get(f"/moderation/{space.slug}/")
    assert page.context["counts"] == {"waiting": 1, "reported": 2, "hidden": 1}
    queue = [(entry.model, entry.pk, entry.state) for entry, _label, _key in page.context["queue"]]
    assert queue == [
        (IDEA, waiting.pk, "waiting"),
        (IDEA, shown.pk, "reported"),
        (COMMENT, comment.pk, "reported"),
    ]
    assert [e.pk for e, _l, _k in page.context["hidden"]] == [hidden.pk]
    html = page.content.decode()
    for reason in ("Publicité pour un garage", "Hors sujet", "Données personnelles", "Doublon"):
        assert reason in html
    # Filtered to one model: the comments alone.
    only = client.get(f"/moderation/{space.slug}/?type={COMMENT}")
    assert [e.pk for e, _l, _k in only.context["queue"]] == [comment.pk]


# --- Each action, through the page -----------------------------------------------------


def test_publishing_a_waiting_idea(client, space, moderator):
    before_publication(space)
    waiting = make_idea(Concertation.objects.get(pk=space.pk), UserFactory())
    response = act(client, space, IDEA, waiting.pk, "approve")
    assert response.status_code == 302
    assert response["location"] == f"/moderation/{space.slug}/"
    assert Contribution.objects.get(pk=waiting.pk).status == "published"
    line = ModerationAction.objects.get()
    assert (line.action, line.role, line.object_id) == ("approve", Role.MODERATOR, waiting.pk)


def test_keeping_a_reported_idea_dismisses_its_reports(client, space, idea, moderator):
    reported(idea)
    act(client, space, IDEA, idea.pk, "approve")
    assert Contribution.objects.get(pk=idea.pk).status == "published"
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert client.get(f"/moderation/{space.slug}/").context["counts"]["reported"] == 0


def test_hiding_with_a_prewritten_reason(client, space, idea, moderator):
    reported(idea)
    response = act(client, space, IDEA, idea.pk, "hide", choice="personal_data", reason="")
    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.status, idea.moderation_reason) == ("hidden", "Personal data")
    assert ModerationAction.objects.get().reason == "Personal data"
    messages = [str(m) for m in client.get(response["location"]).context["messages"]]
    assert messages == [f"“{idea.title}” is hidden."]


@pytest.mark.french
def test_a_prewritten_reason_is_written_in_french_with_the_words_added(client, space, idea):
    client.force_login(demo_user("moderation@demo.invalid"))
    act(client, space, IDEA, idea.pk, "hide", choice="abuse", reason="envers un voisin")
    idea.refresh_from_db()
    assert idea.moderation_reason == "Propos injurieux ou diffamatoires : envers un voisin"


def test_hiding_with_a_free_reason_kept_as_typed(client, space, idea, moderator):
    act(client, space, IDEA, idea.pk, "hide", choice="other", reason=TYPED)
    idea.refresh_from_db()
    assert idea.moderation_reason == TYPED
    html = client.get(f"/moderation/{space.slug}/").content.decode()
    assert "&lt;b&gt;&amp;amp; &quot;l&#x27;été&quot;" in html
    assert TYPED not in html


def test_hiding_without_a_reason_is_refused_naming_it(client, space, idea, moderator):
    response = act(client, space, IDEA, idea.pk, "hide", choice="other", reason="  ")
    assert response.status_code == 302
    messages = [str(m) for m in client.get(response["location"]).context["messages"]]
    assert messages == ["Give the public reason of this decision."]
    assert Contribution.objects.get(pk=idea.pk).status == "published"
    assert not ModerationAction.objects.exists()


def test_restoring_a_hidden_idea(client, space, idea, moderator):
    contribution_hide(contribution=idea, actor=moderator, reason="Hors sujet")
    act(client, space, IDEA, idea.pk, "restore")
    idea.refresh_from_db()
    assert (idea.status, idea.moderation_reason) == ("published", "")
    assert list(ModerationAction.objects.values_list("action", flat=True)) == ["restore", "hide"]


def test_an_action_that_does_not_apply_says_why(client, space, idea, moderator):
    response = act(client, space, IDEA, idea.pk, "restore")
    messages = [str(m) for m in client.get(response["location"]).context["messages"]]
    assert messages == ["Only a hidden contribution can be restored."]


def test_comment_moderation(client, space, idea, moderator):
    comment = comment_create(contribution=idea, author=UserFactory(), text="Un avis")
    report_create(reporter=UserFactory(), reason="Insulte", comment=comment)
    act(client, space, COMMENT, comment.pk, "hide", choice="abuse")
    comment.refresh_from_db()
    assert (comment.status, comment.moderation_reason) == (
        "hidden",
        "Insulting or defamatory remarks",
    )
    act(client, space, COMMENT, comment.pk, "restore")
    assert Comment.objects.get(pk=comment.pk).status == "published"
    assert list(ModerationAction.objects.values_list("action", "comment_id")) == [
        ("restore", comment.pk),
        ("hide", comment.pk),
    ]


def test_a_comment_waiting_is_published_from_the_queue(client, space, idea, moderator):
    before_publication(space)
    comment = comment_create(contribution=idea, author=UserFactory(), text="Attend")
    assert comment.status == "submitted"
    act(client, space, COMMENT, comment.pk, "approve")
    assert Comment.objects.get(pk=comment.pk).status == "published"


# --- Merge --------------------------------------------------------------------------------


def test_the_merge_page_shows_both_ideas_and_merges(client, space, moderator):
    twin = make_idea(space, UserFactory(), title="Piste cyclable rue Haute", nth=0)
    kept = make_idea(space, UserFactory(), title="Une piste rue Haute", nth=1)
    base = f"/moderation/{space.slug}/{IDEA}/{twin.pk}/fusion/"
    choose = client.get(base)
    assert choose.status_code == 200
    assert kept.pk in [c.pk for c in choose.context["candidates"]]
    assert twin.pk not in [c.pk for c in choose.context["candidates"]]

    side_by_side = client.get(f"{base}?into={kept.pk}")
    html = side_by_side.content.decode()
    assert "Piste cyclable rue Haute" in html and "Une piste rue Haute" in html
    assert len(side_by_side.context["places"]) == 2
    assert 'id="merge-places"' in html and f"/tiles/styles/{space.slug}.json" in html
    assert side_by_side.context["map_config"]["style"] == f"/tiles/styles/{space.slug}.json"

    response = client.post(base, {"into": kept.pk, "reason": "Même demande"})
    assert response.status_code == 302
    twin.refresh_from_db()
    assert (twin.status, twin.merged_into_id) == ("merged", kept.pk)
    line = ModerationAction.objects.get()
    assert (line.action, line.merged_into_id, line.reason) == ("merge", kept.pk, "Même demande")


def test_an_item_of_another_space_is_404_from_this_one(client, space, idea, moderator):
    other = ConcertationFactory(territory=space.territory, plui_document=space.plui_document)
    elsewhere = make_idea(other, UserFactory())
    base = f"/moderation/{space.slug}/{IDEA}/{idea.pk}/fusion/"
    assert client.get(f"{base}?into={elsewhere.pk}").status_code == 404
    assert client.post(base, {"into": elsewhere.pk}).status_code == 404
    assert act(client, space, IDEA, elsewhere.pk, "hide", choice="abuse").status_code == 404
    assert client.post(base, {"into": 999999}).status_code == 404
    assert Contribution.objects.filter(status="published").count() == 2
    assert not ModerationAction.objects.exists()


# --- The report page ------------------------------------------------------------------


def test_a_resident_reports_an_idea_with_a_reason(client, space, idea):
    resident = UserFactory()
    client.force_login(resident)
    page = f"/signaler/{IDEA}/{idea.pk}/?next=/concertations/{space.slug}/"
    shown = client.get(page)
    assert shown.status_code == 200 and escape(idea.title) in shown.content.decode()
    response = client.post(page, {"choice": "advertising", "reason": ""})
    assert response.status_code == 302
    assert response["location"] == f"/concertations/{space.slug}/"
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.object_id) == (
        resident,
        "Advertising",
        idea.pk,
    )


def test_a_report_needs_a_reason_and_writes_nothing_without(client, space, idea):
    client.force_login(UserFactory())
    response = client.post(f"/signaler/{IDEA}/{idea.pk}/", {"choice": "other", "reason": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["Say why you report this."]
    assert 'id="reason-errors"' in response.content.decode()
    assert not Report.objects.exists()


def test_a_report_twice_is_refused_and_an_unsafe_next_is_ignored(client, space, idea):
    client.force_login(UserFactory())
    page = f"/signaler/{IDEA}/{idea.pk}/?next=https://ailleurs.example/"
    first = client.post(page, {"choice": "off_topic"})
    assert first["location"] == f"/concertations/{space.slug}/idees/{idea.pk}/"
    again = client.post(page, {"choice": "off_topic"})
    assert again.status_code == 400
    assert again.context["form"].errors["reason"] == ["You have already reported this."]
    assert Report.objects.count() == 1


def test_a_comment_is_reported_as_typed(client, space, idea):
    comment = comment_create(contribution=idea, author=UserFactory(), text="Un avis")
    client.force_login(UserFactory())
    client.post(f"/signaler/{COMMENT}/{comment.pk}/", {"choice": "other", "reason": TYPED})
    assert Report.objects.get().reason == TYPED
    assert Report.objects.get().object_id == comment.pk


def test_what_the_public_does_not_see_cannot_be_reported(client, space, idea):
    contribution_hide(contribution=idea, actor=demo_user("moderation@demo.invalid"), reason="x")
    client.force_login(UserFactory())
    assert client.get(f"/signaler/{IDEA}/{idea.pk}/").status_code == 404
    assert client.post(f"/signaler/{IDEA}/{idea.pk}/", {"choice": "abuse"}).status_code == 404
    assert client.get(f"/signaler/accounts.user/{idea.pk}/").status_code == 404
    assert not Report.objects.exists()


def test_a_visitor_is_sent_to_sign_in(client, space, idea):
    response = client.post(f"/signaler/{IDEA}/{idea.pk}/", {"choice": "abuse"})
    assert response.status_code == 302 and response["location"].startswith("/accounts/login/")
    assert not Report.objects.exists()


# --- The public log ------------------------------------------------------------------


def test_the_log_page_shows_the_reason_and_the_role_never_the_person(client, space, idea):
    moderator = demo_user("moderation@demo.invalid")
    contribution_hide(contribution=idea, actor=moderator, reason=TYPED)
    client.logout()
    page = client.get(f"/concertations/{space.slug}/moderation/", headers={"accept-language": "en"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "&lt;b&gt;&amp;amp; &quot;l&#x27;été&quot;" in html
    assert "by a moderator" in html
    assert moderator.pseudonym not in html and moderator.email not in html
    # The hidden idea has no public page to link to.
    assert f'href="/concertations/{space.slug}/"' in html  # the way back only
    assert html.count(f'href="/concertations/{space.slug}/"') == 1


def test_the_log_page_is_paginated_and_links_public_items(client, space, moderator):
    ideas = [make_idea(space, UserFactory(), title=f"Idée {n}") for n in range(26)]
    for idea in ideas:
        reported(idea)
        act(client, space, IDEA, idea.pk, "approve")
    client.logout()
    first = client.get(f"/concertations/{space.slug}/moderation/")
    assert len(first.context["rows"]) == 25
    links = [link for _line, _role, link in first.context["rows"]]
    assert links == [
        (f"Idée {n}", f"/concertations/{space.slug}/idees/{ideas[n].pk}/") for n in range(25, 0, -1)
    ]
    assert (
        f'<a href="/concertations/{space.slug}/idees/{ideas[25].pk}/">Idée 25</a>'
        in first.content.decode()
    )
    assert len(client.get(f"/concertations/{space.slug}/moderation/?page=2").context["rows"]) == 1
    assert client.get("/concertations/nowhere/moderation/").status_code == 404


def test_the_concertation_and_the_account_page_link_the_pages(client, space, moderator):
    assert (
        f"/concertations/{space.slug}/moderation/"
        in client.get(f"/concertations/{space.slug}/").content.decode()
    )
    assert 'href="/moderation/"' in client.get("/accounts/").content.decode()
    client.force_login(UserFactory())
    assert 'href="/moderation/"' not in client.get("/accounts/").content.decode()


# --- Built once: any module that declares a moderated model ------------------------------


@pytest.fixture
def notices(space):
    """A module of the tests' own moderating "notices" kept in a list, held by the space."""
    calls = []

    def entry(pk):
        if pk != 41:
            return None
        return ModerationEntry(
            model="tests.notice",
            pk=41,
            space_pk=space.pk,
            title="Un panneau <i>signalé</i>",
            excerpt="Texte du panneau",
            url=f"/panneau/{space.slug}/",
            state="reported",
            created_at=timezone.now(),
            reports=(("Affichage sauvage", timezone.now()),),
            actions=frozenset({"approve", "hide"}),
        )

    def refuse(pk, actor, reason):
        raise ValidationError({"action": "Ce panneau ne se garde pas."})

    manifest = ModuleManifest(
        name="notices",
        label="Panneau",
        app_label="tests",
        moderation=(
            ModeratedModel(
                model="tests.notice",
                label="panneau",
                queue=lambda space_pk: [entry(41)] if space_pk == space.pk else [],
                hidden=lambda space_pk: [],
                counts=lambda space_pk: {"waiting": 0, "reported": 1, "hidden": 0},
                entry=entry,
                act={
                    "hide": lambda pk, actor, reason: calls.append(("hide", pk, actor, reason)),
                    "approve": refuse,
                },
                report=lambda pk, reporter, reason: calls.append(("report", pk, reporter, reason)),
            ),
        ),
    )
    module_register(manifest)
    space_module_add(concertation=space, module="notices")
    yield calls
    module_unregister("notices")


def test_a_module_s_declared_model_is_moderated_through_the_same_pages(
    client, space, idea, moderator, notices
):
    reported(idea)
    page = client.get(f"/moderation/{space.slug}/")
    assert page.context["counts"] == {"waiting": 0, "reported": 2, "hidden": 0}
    assert [(e.model, label) for e, label, _key in page.context["queue"]] == [
        (IDEA, "idea"),
        ("tests.notice", "panneau"),
    ]
    html = page.content.decode()
    assert "Un panneau &lt;i&gt;signalé&lt;/i&gt;" in html and "Affichage sauvage" in html

    act(client, space, "tests.notice", 41, "hide", choice="advertising", reason="en ville")
    assert notices == [("hide", 41, moderator, "Advertising : en ville")]
    refused = act(client, space, "tests.notice", 41, "approve")
    messages = [str(m) for m in client.get(refused["location"]).context["messages"]]
    assert messages == ["“Un panneau <i>signalé</i>” is hidden.", "Ce panneau ne se garde pas."]
    # What the module does not declare is not there.
    assert act(client, space, "tests.notice", 41, "restore").status_code == 404
    assert client.get(f"/moderation/{space.slug}/tests.notice/41/fusion/").status_code == 404

    resident = UserFactory()
    client.force_login(resident)
    client.post("/signaler/tests.notice/41/", {"choice": "other", "reason": "Affiche"})
    assert notices[-1] == ("report", 41, resident, "Affiche")


def test_where_the_ideas_are_switched_off_their_items_are_neither_moderated_nor_reported(
    client, space, idea, moderator
):
    reported(idea)
    territory_modules_switch(territory=space.territory, modules_off=["ideas"])
    assert client.get(f"/moderation/{space.slug}/").context["queue"] == []
    assert act(client, space, IDEA, idea.pk, "hide", choice="abuse").status_code == 404
    client.force_login(UserFactory())
    assert client.post(f"/signaler/{IDEA}/{idea.pk}/", {"choice": "abuse"}).status_code == 404
    assert Contribution.objects.get(pk=idea.pk).status == "published"
    assert Report.objects.count() == 1
