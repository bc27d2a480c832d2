# SPDX-License-Identifier: AGPL-3.0-or-later
"""A hidden contribution is hidden everywhere: one idea hidden by moderation, then every
surface read as an anonymous visitor and as a resident who did not write it — the page
and its list without JavaScript, the API (list, filters, detail, comments), the tiles,
the exports, the bilan, the workshop sheet and the e-mails. Its placeholder (the public
reason) is all that shows; nobody can vote on it or comment it."""

import json

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.utils import translation

from carto_concertation.contributions.comments import comment_create
from carto_concertation.contributions.exports.streams import csv_chunks, geojson_chunks
from carto_concertation.contributions.models import IdeasSettings
from carto_concertation.contributions.moderation import comment_approve, contribution_hide
from carto_concertation.contributions.planning.bilan import bilan_html
from carto_concertation.contributions.tiles import contribution_layers
from carto_concertation.core.modules import space_public
from carto_concertation.territories.models import Commune
from carto_concertation.workshops.selectors import workshop_print_data
from tests.factories import UserFactory
from tests.tiles.test_vector_tiles import tile_of
from tests.workshops.conftest import RELAY_COMMUNE, relay, workshop  # noqa: F401
from tiles.mvt import tile_bytes

from .conftest import make_idea, url

pytestmark = pytest.mark.django_db

TITLE = "Chez Mme Secret-Titre, 3 rue des Tilleuls"
TEXT = "Secret-Texte : elle laisse ses chiens aboyer la nuit."
COMMENT = "Secret-Commentaire : je la connais."
REASON = "Propos visant une personne"
# The idea lies in Sancoins: its commune's name is what must not show either.
COMMUNE = "Sancoins"
SECRETS = ("Secret-Titre", "Secret-Texte", "Secret-Commentaire", COMMUNE)


def sancoins_point() -> Point:
    point = Commune.objects.get(insee=RELAY_COMMUNE).geom.point_on_surface
    point.transform(4326)
    return point


@pytest.fixture
def open_concertation(demo_concertation):
    """The demo's: the workshop sheet is drawn for the demo relay's commune (Sancoins)."""
    return demo_concertation


@pytest.fixture
def hidden(
    open_concertation,
    moderator,
    eager_tasks,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """The idea, commented and replied to, hidden while the reply awaits moderation;
    the reply is then approved (its parent's author would hear of it)."""
    IdeasSettings.objects.filter(space_module__concertation=open_concertation).update(
        moderation=IdeasSettings.Moderation.BEFORE
    )
    open_concertation.refresh_from_db()
    author, commenter, replier = UserFactory(), UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        idea = make_idea(open_concertation, author, title=TITLE, text=TEXT)
        idea.status = "published"
        idea.save(update_fields=["status"])
        first = comment_create(contribution=idea, author=commenter, text=COMMENT)
        first = comment_approve(comment=first, actor=moderator)
        reply = comment_create(contribution=idea, author=replier, text="Moi aussi.", parent=first)
    before_hiding = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        contribution_hide(contribution=idea, actor=moderator, reason=REASON)
        comment_approve(comment=reply, actor=moderator)
    assert idea.commune.name == COMMUNE
    return {"idea": idea, "author": author, "mails": mailoutbox[before_hiding:]}


def assert_nothing_of_it(content: str | bytes) -> None:
    if isinstance(content, bytes):
        content = content.decode()
    for secret in SECRETS:
        assert secret not in content


@pytest.fixture(params=["anonymous", "resident"])
def reader(request, client):
    if request.param == "resident":
        client.force_login(UserFactory())
    return client


def test_the_page_and_its_list_show_the_placeholder_alone(reader, open_concertation, hidden):
    page = f"/concertations/{open_concertation.slug}/"
    with translation.override("fr"):
        for query in ("", "?status=hidden", "?status=hidden&ordering=supported"):
            response = reader.get(page + query, headers={"accept-language": "fr"})
            assert response.status_code == 200
            html = response.content.decode()
            assert_nothing_of_it(html)
            assert f"Masqué par la modération : {REASON}" in html
            listing = html.split('id="contribution-list"')[1].split("</ul>")[0]
            assert "<details>" not in listing  # neither its text nor its tallies


def test_the_api_shows_the_placeholder_and_no_filter_finds_it(reader, open_concertation, hidden):
    idea = hidden["idea"]
    around = sancoins_point().buffer(0.01).extent
    for query in (
        {},
        {"status": "hidden"},
        {"search": "Secret-Titre"},
        {"search": "chiens"},
        {"commune": RELAY_COMMUNE},
        {"bbox": ",".join(str(v) for v in around)},
        {"status": "hidden", "commune": RELAY_COMMUNE},
    ):
        response = reader.get(url(open_concertation), query)
        assert response.status_code == 200, (query, response.content)
        assert_nothing_of_it(response.content)
        if set(query) - {"status"}:
            assert response.json()["features"] == [], query
    placeholder = reader.get(url(open_concertation), {"status": "hidden"}).json()["features"]
    assert [f["properties"]["title"] for f in placeholder] == [
        f"Masqué par la modération : {REASON}"
    ]
    detail = reader.get(url(open_concertation, pk=idea.pk))
    assert_nothing_of_it(detail.content)
    properties = detail.json()["properties"]
    assert properties["commune"] is None
    assert detail.json()["geometry"] is None
    comments = reader.get(url(open_concertation, "comments/", idea.pk))
    assert comments.json() == []
    log = reader.get(f"/api/v1/concertations/{open_concertation.slug}/moderation/log")
    assert_nothing_of_it(log.content)


def test_no_vote_nor_comment_on_it(client, open_concertation, hidden):
    idea = hidden["idea"]
    client.force_login(UserFactory())
    vote = client.put(url(open_concertation, "vote", idea.pk), {"value": 1}, "application/json")
    comment = client.post(
        url(open_concertation, "comments/", idea.pk), {"text": "Et alors ?"}, "application/json"
    )
    assert (vote.status_code, comment.status_code) == (400, 400)


def test_tiles_exports_bilan_and_workshop_sheet_leave_it_out(open_concertation, hidden, workshop):  # noqa: F811
    idea = hidden["idea"]
    here = sancoins_point().transform(3857, clone=True)
    z = 16
    tile = tile_bytes(
        contribution_layers(space_public(open_concertation.slug)), z, *tile_of(here.x, here.y, z)
    )
    features = mapbox_vector_tile.decode(tile).get("contributions", {}).get("features", [])
    assert idea.pk not in [f["id"] for f in features]
    assert_nothing_of_it(tile)

    exported = b"".join(csv_chunks(concertation=open_concertation))
    assert_nothing_of_it(exported)
    geojson = json.loads(b"".join(geojson_chunks(concertation=open_concertation)))
    assert idea.pk not in [f["id"] for f in geojson["features"]]
    assert_nothing_of_it(json.dumps(geojson, ensure_ascii=False))

    html, _maps, listed = bilan_html(concertation=open_concertation, progress=lambda *_: None)
    assert listed == 0
    # Nothing it said anywhere; its commune is named in the participation figures and
    # the maps (every commune with its count), never beside an idea.
    assert_nothing_of_it(html.replace(COMMUNE, ""))
    ideas = html.split("<h2>4.")[1].split("<script>")[0]
    assert_nothing_of_it(ideas)

    sheet = workshop_print_data(workshop=workshop, tolerance_m=5)
    assert [title for _n, title, _geom in sheet.ideas] == []


def test_no_e_mail_tells_anyone_but_its_author_what_it_said(hidden):
    mails = hidden["mails"]
    others = [m for m in mails if m.to != [hidden["author"].email]]
    assert others, "the reply's author heard of its approval"
    for mail in others:
        assert_nothing_of_it(mail.subject + mail.body)
