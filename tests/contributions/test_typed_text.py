# SPDX-License-Identifier: AGPL-3.0-or-later
"""Text is stored as typed and escaped once, where it is shown: ``vélo & piétons <test>``
reads so in the API, the page's list, the CSV, the bilan and the workshop sheet, and
rows stored escaped before are given their characters back by a migration."""

import csv
import importlib
import io

import pytest
from django.apps import apps
from django.utils.html import escape

from carto_concertation.contributions.comments import comment_create
from carto_concertation.contributions.exports.streams import csv_chunks
from carto_concertation.contributions.models import AnswerTemplate, Contribution
from carto_concertation.contributions.moderation import contribution_answer
from carto_concertation.contributions.planning.bilan import bilan_html
from carto_concertation.core.text import plain_text
from carto_concertation.engagement.models import Comment, ModerationAction
from carto_concertation.territories.models import Commune
from carto_concertation.workshops.selectors import workshop_print_data
from tests.factories import UserFactory
from tests.workshops.conftest import RELAY_COMMUNE, relay, workshop  # noqa: F401

from .conftest import make_idea, url

pytestmark = pytest.mark.django_db

TITLE = "vélo & piétons <test>"
TEXT = "Entre 8 h & 9 h, 1 < 2 > 0 et \"guillemets\" & 'apostrophes'."
COMMENT = "Oui & non <3"
ANSWER = "Retenue : <b>piste</b> & trottoir."


def test_typed_characters_are_kept_and_only_controls_and_blanks_go():
    assert plain_text("  vélo & piétons <test>\r\n\x00fin\x07 \t") == "vélo & piétons <test>\nfin"
    assert plain_text("<script>alert(1)</script>") == "<script>alert(1)</script>"


@pytest.fixture
def open_concertation(demo_concertation):
    """The demo's: the workshop sheet is drawn for the demo relay's commune (Sancoins)."""
    return demo_concertation


@pytest.fixture
def typed(client, open_concertation, planner):
    client.force_login(UserFactory())
    sancoins = Commune.objects.get(insee=RELAY_COMMUNE).geom.point_on_surface
    sancoins.transform(4326)
    created = client.post(
        url(open_concertation),
        {
            "title": TITLE,
            "text": TEXT,
            "geometry": {"type": "Point", "coordinates": [sancoins.x, sancoins.y]},
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    idea = Contribution.objects.get(pk=created.json()["id"])
    commented = client.post(
        url(open_concertation, "comments/", idea.pk), {"text": COMMENT}, "application/json"
    )
    assert commented.status_code == 201
    contribution_answer(
        contribution=idea,
        actor=planner,
        status="retained",
        answer=ANSWER,
        answer_service="Urbanisme & voirie",
    )
    idea.refresh_from_db()
    return idea


def test_stored_and_served_by_the_api_as_typed(client, open_concertation, typed):
    assert (typed.title, typed.text) == (TITLE, TEXT)
    assert Comment.objects.get(contribution=typed).text == COMMENT
    assert (typed.answer, typed.answer_service) == (ANSWER, "Urbanisme & voirie")
    properties = client.get(url(open_concertation, pk=typed.pk)).json()["properties"]
    assert (properties["title"], properties["text"], properties["answer"]) == (
        TITLE,
        TEXT,
        ANSWER,
    )
    listed = client.get(url(open_concertation)).json()["features"][0]["properties"]
    assert listed["title"] == TITLE
    comments = client.get(url(open_concertation, "comments/", typed.pk)).json()
    assert comments[0]["text"] == COMMENT


def test_escaped_once_on_the_page_and_in_the_bilan(client, open_concertation, typed):
    page = client.get(f"/concertations/{open_concertation.slug}/").content.decode()
    html, _maps, _listed = bilan_html(concertation=open_concertation, progress=lambda *_: None)
    for shown in (page, html):
        for typed_text in (TITLE, ANSWER):
            assert escape(typed_text) in shown
        assert "&amp;amp;" not in shown
        assert "<test>" not in shown
        assert "<b>piste</b>" not in shown


def test_the_csv_and_the_workshop_sheet_read_as_typed(open_concertation, typed, workshop):  # noqa: F811
    data = b"".join(csv_chunks(concertation=open_concertation)).decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(data), delimiter=";")
    assert TITLE in row.values()
    assert TEXT in row.values()
    assert ANSWER in row.values()
    sheet = workshop_print_data(workshop=workshop, tolerance_m=5)
    assert [title for _number, title, _geom in sheet.ideas] == [TITLE]


FIELDS_MOVED = ("Comment", "Report", "ModerationAction")


class _MovedModels:
    """The models 0004 names, where they are now: comments, reports and the log moved to
    engagement (contributions 0006/0007) with their texts, the answer templates to the
    ideas (contributions 0005) with their rows."""

    MOVED = {("contributions", name): f"engagement.{name}" for name in FIELDS_MOVED}

    def get_model(self, app: str, name: str):
        if (app, name) == ("concertations", "AnswerTemplate"):
            return AnswerTemplate
        return apps.get_model(self.MOVED.get((app, name), f"{app}.{name}"))


def test_the_migration_gives_escaped_rows_their_characters_back(open_concertation, planner):
    idea = make_idea(open_concertation, UserFactory())
    escaped = "vélo &amp; piétons &lt;test&gt;&nbsp;: écrit &amp;lt; tel quel"
    Contribution.objects.filter(pk=idea.pk).update(title=escaped, text=escaped, answer=escaped)
    comment = comment_create(contribution=idea, author=UserFactory(), text="x")
    Comment.objects.filter(pk=comment.pk).update(text=escaped)
    ModerationAction.objects.create(
        space=open_concertation, action="answer", role="planner", reason=escaped
    )
    template = AnswerTemplate.objects.create(
        concertation=open_concertation,
        title=escaped,
        status="retained",
        text=escaped,
        service=escaped,
    )
    migration = importlib.import_module(
        "carto_concertation.contributions.migrations.0004_unescape_typed_texts"
    )
    migration.unescape_typed_texts(_MovedModels(), None)

    expected = "vélo & piétons <test>\u00a0: écrit &lt; tel quel"
    idea.refresh_from_db()
    assert (idea.title, idea.text, idea.answer) == (expected,) * 3
    assert Comment.objects.get(pk=comment.pk).text == expected
    assert ModerationAction.objects.get(concertation=open_concertation).reason == expected
    template.refresh_from_db()
    assert (template.title, template.text, template.service) == (expected,) * 3
