# SPDX-License-Identifier: AGPL-3.0-or-later
"""A concertation (the participatory space) holds instances of modules: the ideas map by
default, and any registered module (concertations.SpaceModule, core.modules)."""

import pytest
from django.core.exceptions import ValidationError

from carto_concertation.concertations.models import Concertation, SpaceModule
from carto_concertation.concertations.selectors import (
    concertation_map_space,
    concertation_module_entries,
    concertation_modules,
)
from carto_concertation.concertations.services import (
    concertation_create,
    concertation_save,
    space_module_add,
    space_module_move,
    space_module_remove,
)
from carto_concertation.contributions.models import IdeasSettings
from carto_concertation.core.changes import tileset_changed
from carto_concertation.core.modules import (
    ModuleManifest,
    module_get,
    module_register,
    module_unregister,
)

from ..factories import ConcertationFactory, ContributionFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

SURVEY = ModuleManifest(
    name="survey",
    label="Questionnaire",
    app_label="survey",
    space_entry=lambda space: ("Questionnaire <b>&", f"/exemple/?space={space.slug}&b=2"),
    space_settings=lambda space: {"survey_questions": 3},
)


@pytest.fixture
def survey():
    module_register(SURVEY)
    yield SURVEY
    module_unregister(SURVEY.name)


def test_a_new_concertation_holds_the_ideas_map_with_today_s_defaults():
    concertation = ConcertationFactory()
    (instance,) = concertation.modules.all()
    assert (instance.module, instance.position) == ("ideas", 0)
    settings = instance.ideas_settings
    assert settings.accepted_geometries == ["point", "line", "area"]
    assert (settings.moderation, settings.vote_mode, settings.duplicate_distance_m) == (
        "after",
        "support",
        150,
    )


def test_the_settings_given_at_creation_go_to_the_ideas_module_and_are_checked():
    territory = TerritoryFactory(communes=1)
    concertation = concertation_create(
        territory=territory, title="Avec réglages", moderation="before", vote_mode="rating"
    )
    settings = IdeasSettings.objects.get(space_module__concertation=concertation)
    assert (settings.moderation, settings.vote_mode) == ("before", "rating")
    with pytest.raises(ValidationError) as refused:
        concertation_create(territory=territory, title="Sans géométrie", accepted_geometries=[])
    assert "accepted_geometries" in refused.value.message_dict
    with pytest.raises(TypeError, match="colour_of_the_sky"):
        concertation_create(territory=territory, title="Inconnu", colour_of_the_sky="bleu")
    with pytest.raises(TypeError, match="vote_mode"):  # no ideas module: nobody takes it
        concertation_create(territory=territory, title="Rien", modules=[], vote_mode="rating")
    assert not Concertation.objects.filter(title__in=["Sans géométrie", "Inconnu", "Rien"])


def test_a_space_holding_two_modules_lists_them_in_order(client, survey):
    concertation = ConcertationFactory()
    survey_instance = space_module_add(concertation=concertation, module="survey")
    assert survey_instance.position == 1
    concertation = Concertation.objects.get(pk=concertation.pk)
    assert [m.name for m in concertation_modules(concertation)] == ["ideas", "survey"]
    assert concertation_map_space(concertation.pk).modules == ("ideas", "survey")
    slug = concertation.slug
    assert concertation_module_entries(concertation) == [
        ("Ideas on the map", f"/concertations/{slug}/#map"),
        ("Questionnaire <b>&", f"/exemple/?space={slug}&b=2"),
    ]
    page = client.get(f"/concertations/{slug}/").content.decode()
    # The page speaks French (the site's language): the ideas' label is translated.
    ideas = f'<li><a href="/concertations/{slug}/#map">Idées sur la carte</a></li>'
    other = f'<li><a href="/exemple/?space={slug}&amp;b=2">Questionnaire &lt;b&gt;&amp;</a></li>'
    assert ideas in page and other in page and page.index(ideas) < page.index(other)
    payload = client.get(f"/api/v1/concertations/{slug}/").json()["properties"]
    assert payload["survey_questions"] == 3 and payload["vote_mode"] == "support"

    space_module_move(space_module=survey_instance, position=0)
    concertation = Concertation.objects.get(pk=concertation.pk)
    assert [m.name for m in concertation_modules(concertation)] == ["survey", "ideas"]
    page = client.get(f"/concertations/{slug}/").content.decode()
    assert page.index(other) < page.index(ideas)


def test_the_service_refuses_an_unknown_module_and_a_second_instance(survey):
    concertation = ConcertationFactory()
    with pytest.raises(ValidationError) as unknown:
        space_module_add(concertation=concertation, module="no-such-module")
    assert list(unknown.value.message_dict) == ["module"]
    with pytest.raises(ValidationError) as twice:
        space_module_add(concertation=concertation, module="ideas")
    assert list(twice.value.message_dict) == ["module"]
    assert list(concertation.modules.values_list("module", flat=True)) == ["ideas"]


def test_a_module_no_longer_registered_is_left_out(survey):
    concertation = ConcertationFactory()
    space_module_add(concertation=concertation, module="survey")
    module_unregister("survey")
    assert [m.name for m in concertation_modules(concertation)] == ["ideas"]


@pytest.mark.parametrize("ideas", [0, 1], ids=["no-idea", "one-idea"])
def test_removing_the_ideas_map_removes_its_settings_and_announces_its_tileset(
    client, django_capture_on_commit_callbacks, ideas
):
    concertation = ConcertationFactory()
    ContributionFactory.create_batch(ideas, concertation=concertation)
    heard = []

    def listen(sender, change, **kwargs):
        heard.append(change.tileset)

    tileset_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            space_module_remove(space_module=concertation.modules.get())
    finally:
        tileset_changed.disconnect(listen)
    (ideas_tiles,) = module_get("ideas").tilesets
    # Its ideas leave the site-wide tileset too (core.modules.TilesetDeclaration.site_wide);
    # a space without ideas changes nothing there, and nothing is announced for it.
    site = [ideas_tiles.site_tileset] if ideas else []
    assert heard == [ideas_tiles.tileset(concertation.slug), *site]
    assert not IdeasSettings.objects.filter(space_module__concertation=concertation).exists()
    properties = client.get(f"/api/v1/concertations/{concertation.slug}/").json()["properties"]
    assert "vote_mode" not in properties and properties["status"] == "open"
    page = client.get(f"/concertations/{concertation.slug}/")
    assert page.status_code == 200 and "Idées sur la carte" not in page.content.decode()


def test_a_concertation_saved_new_from_the_admin_holds_the_ideas_map():
    concertation = Concertation(
        territory=TerritoryFactory(communes=1), slug="depuis-l-admin", title="Depuis l'admin"
    )
    concertation_save(concertation=concertation)
    assert SpaceModule.objects.get(concertation=concertation).ideas_settings.vote_mode == "support"


def test_a_space_without_the_ideas_has_no_ideas_tiles_layers_or_api(
    client, django_capture_on_commit_callbacks
):
    from carto_concertation.core.modules import space_public
    from tiles.services import offline_tilesets

    space = ConcertationFactory()
    tilejson, api = (
        f"/tiles/contributions-{space.slug}.json",
        (f"/api/v1/concertations/{space.slug}/contributions/"),
    )

    def style_sources() -> set[str]:
        return set(client.get(f"/tiles/styles/{space.slug}.json").json()["sources"])

    assert client.get(tilejson).status_code == 200 and client.get(api).status_code == 200
    assert "contributions" in style_sources()
    with django_capture_on_commit_callbacks(execute=True):
        space_module_remove(space_module=space.modules.get(module="ideas"))
    assert client.get(tilejson).status_code == 404 and client.get(api).status_code == 404
    assert "contributions" not in style_sources()
    assert offline_tilesets(space_public(space.slug)) == ["zoning", "communes"]
    with django_capture_on_commit_callbacks(execute=True):
        space_module_add(concertation=space, module="ideas")
    assert client.get(tilejson).status_code == 200 and client.get(api).status_code == 200
    assert "contributions" in style_sources()


def test_the_space_page_is_the_ideas_map_while_it_holds_them_and_its_own_page_otherwise(
    client, django_capture_on_commit_callbacks
):
    from carto_concertation.territories.services import territory_modules_switch

    space = ConcertationFactory(title="Révision <b>générale</b> & co")
    module_register(SURVEY)
    try:
        space_module_add(concertation=space, module="survey")
        page = client.get(f"/concertations/{space.slug}/").content.decode()
        assert 'id="map"' in page  # the ideas' map page
        with django_capture_on_commit_callbacks(execute=True):
            space_module_remove(space_module=space.modules.get(module="ideas"))
        response = client.get(f"/concertations/{space.slug}/")
        page = response.content.decode()
        assert response.status_code == 200 and 'id="map"' not in page
        assert "Révision &lt;b&gt;générale&lt;/b&gt; &amp; co" in page
        assert "Questionnaire &lt;b&gt;&amp;" in page  # the survey's entry, escaped once
        # Switched off in the territory, a module gives neither the page nor an entry.
        with django_capture_on_commit_callbacks(execute=True):
            space_module_add(concertation=space, module="ideas")
            territory_modules_switch(territory=space.territory, modules_off=["ideas", "survey"])
        page = client.get(f"/concertations/{space.slug}/").content.decode()
        assert 'id="map"' not in page and "Questionnaire" not in page
        assert "Rien à quoi participer ici pour l’instant." in page
    finally:
        module_unregister("survey")


def test_a_module_s_features_open_with_the_phases_its_manifest_names():
    from datetime import timedelta

    from django.utils import timezone

    from carto_concertation.concertations.selectors import space_allows

    polls = ModuleManifest(
        name="polls", label="Sondages", app_label="polls", phases={"analysis": frozenset({"vote"})}
    )
    module_register(polls)
    try:
        space = ConcertationFactory()  # open, in its contributions phase
        assert space_allows(concertation=space, module="ideas", feature="propose")
        assert not space_allows(concertation=space, module="polls", feature="vote")
        now = timezone.now()
        space.phases.update(ends_at=now - timedelta(hours=1), starts_at=now - timedelta(days=9))
        space.phases.create(kind="analysis", starts_at=now - timedelta(minutes=5))
        space = Concertation.objects.get(pk=space.pk)
        assert space_allows(concertation=space, module="polls", feature="vote")
        assert not space_allows(concertation=space, module="polls", feature="propose")
        assert not space_allows(concertation=space, module="ideas", feature="propose")
        assert not space_allows(concertation=space, module="absent", feature="vote")
        space.status = Concertation.Status.CLOSED
        assert not space_allows(concertation=space, module="polls", feature="vote")
    finally:
        module_unregister("polls")
