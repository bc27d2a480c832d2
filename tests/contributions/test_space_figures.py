# SPDX-License-Identifier: AGPL-3.0-or-later
"""A space's figures per commune and per zone, read from every module's declaration
(core.modules.FigureDeclaration): the ideas count their public contributions."""

import pytest
from django.conf import settings

from carto_concertation.concertations.models import Concertation
from carto_concertation.contributions.moderation import contribution_hide
from carto_concertation.territories.models import Commune
from plui_documents.models import Zone
from tests.factories import UserFactory
from tests.worlds import demo_user, make_idea, point_in, small_world

pytestmark = pytest.mark.django_db


def _zone_of(libelle: str, nth: int) -> Zone:
    return Zone.objects.get(
        geom__contains=point_in(libelle, nth).transform(settings.SRID, clone=True)
    )


def _commune_of(libelle: str, nth: int) -> Commune:
    return Commune.objects.get(
        geom__contains=point_in(libelle, nth).transform(settings.SRID, clone=True)
    )


def test_public_ideas_are_counted_per_commune_and_per_zone(client):
    space = small_world(title="Espace chiffré")
    author = UserFactory()
    places = [("UE", 0), ("UE", 0), ("A", 1)]
    for libelle, nth in places:
        make_idea(space, author, libelle=libelle, nth=nth)
    hidden = make_idea(space, author, libelle="N", nth=0)
    contribution_hide(
        contribution=hidden, actor=demo_user("moderation@demo.invalid"), reason="Hors sujet"
    )

    per_zone = client.get(f"/api/v1/concertations/{space.slug}/figures/zones").json()
    expected_zones = {}
    for libelle, nth in places:
        zone = _zone_of(libelle, nth)
        expected_zones[zone.pk] = expected_zones.get(zone.pk, 0) + 1
    assert {row["zone"]: row["figures"]["contributions"] for row in per_zone} == expected_zones
    assert {row["libelle"] for row in per_zone} == {"UE", "A"}

    per_commune = client.get(f"/api/v1/concertations/{space.slug}/figures/communes").json()
    expected_communes = {}
    for libelle, nth in places:
        insee = _commune_of(libelle, nth).insee
        expected_communes[insee] = expected_communes.get(insee, 0) + 1
    assert {row["insee"]: row["figures"]["contributions"] for row in per_commune} == (
        expected_communes
    )


def test_a_draft_or_unknown_space_has_no_figures(client):
    draft = small_world(title="Brouillon", status=Concertation.Status.DRAFT)
    for slug in (draft.slug, "pas-un-espace"):
        for by in ("communes", "zones"):
            assert client.get(f"/api/v1/concertations/{slug}/figures/{by}").status_code == 404


def test_the_planners_dashboard_shows_every_module_s_figures_per_commune(client):
    space = small_world(title="Espace du tableau de bord")
    author = UserFactory()
    for libelle, nth in (("UE", 0), ("UB", 0)):
        make_idea(space, author, libelle=libelle, nth=nth)
    client.force_login(demo_user("urbanisme@demo.invalid"))
    page = client.get(f"/concertations/{space.slug}/tableau-de-bord/").content.decode()
    table = page[
        page.index('id="space-figures"') : page.index("</table>", page.index('id="space-figures"'))
    ]
    assert "Participation par commune, tous les modules de la concertation (public)" in table
    communes = {_commune_of(libelle, nth) for libelle, nth in (("UE", 0), ("UB", 0))}
    for commune in communes:
        assert f"{commune.name} ({commune.insee})" in table
    assert table.count('<td class="n">') == len(communes)  # one figure: the ideas'
