# SPDX-License-Identifier: AGPL-3.0-or-later
"""The registry of participation modules (core.modules), as the backbone reads it."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, ValidationError

from carto_concertation.concertations.models import Concertation
from carto_concertation.concertations.services import concertation_create
from carto_concertation.core.checks import modules_requirements_check
from carto_concertation.core.modules import (
    SITE_WIDE,
    DatasetDeclaration,
    ModuleAlreadyRegistered,
    ModuleManifest,
    NotAPublicField,
    PublicField,
    ServiceMissing,
    TilesetDeclaration,
    datasets,
    module_get,
    module_register,
    module_service,
    module_unregister,
    modules,
    notification_kinds,
    site_tilesets,
    tileset_declarations,
)
from layers.selectors import tileset_layers

from ..factories import CommuneFactory, UserFactory


def test_the_installed_modules_are_registered_at_start_up_in_app_order():
    assert [manifest.name for manifest in modules()] == [
        "ideas",
        "workshops",
        "signalements",
        "budgets",
        "surveys",
        "crowdfunding",
    ]
    assert module_get("ideas").app_label == "contributions"
    assert module_get("nothing") is None


@pytest.mark.django_db
def test_the_registry_finds_a_module_s_tileset_and_its_kinds_of_e_mail():
    space = concertation_create(
        territory=CommuneFactory().territory,
        title="Un espace",
        status=Concertation.Status.OPEN,
    )
    ideas_tiles, report_tiles, budget_tiles, survey_tiles, crowdfunding_tiles = (
        tileset_declarations()
    )
    assert ideas_tiles.offline
    assert report_tiles.prefix == "signalements-"
    assert budget_tiles.prefix == "budget-"
    assert survey_tiles.prefix == "consultations-" and survey_tiles.style is None
    assert crowdfunding_tiles.prefix == "crowdfunding-"
    names = {layer.name for layer in tileset_layers(f"{ideas_tiles.prefix}{space.slug}")}
    assert {"contributions", "contributions_by_commune"} <= names
    assert tileset_layers(f"{ideas_tiles.prefix}no-such-space") == []
    assert [kind.key for kind in notification_kinds()] == [
        "answer",
        "reply",
        "moderation",
        "follow",
        "report_updates",
        "report_fixed_check",
        "budget_project_news",
        "crowdfunding_project_news",
    ]


def test_a_name_is_taken_once():
    example = ModuleManifest(name="example", label="Example", app_label="example")
    try:
        assert module_register(example) is example
        assert module_register(example) is example  # the same manifest again: no change
        with pytest.raises(ModuleAlreadyRegistered):
            module_register(ModuleManifest(name="example", label="Other", app_label="other"))
        assert modules()[-1] is example
    finally:
        module_unregister("example")
    assert module_get("example") is None


def test_a_surface_takes_only_fields_its_dataset_declares_public():
    dataset = DatasetDeclaration(
        name="things",
        title="Things",
        description="",
        geometry_type="Point",
        fields=(PublicField("id", "number", "integer"), PublicField("title", "title")),
    )
    assert dataset.pick("title", "id") == ("title", "id")
    with pytest.raises(NotAPublicField, match="author, email"):
        dataset.pick("title", "author", "email")


def test_the_dataset_list_reads_every_module_s_declarations(client):
    example = ModuleManifest(
        name="example",
        label="Example",
        app_label="example",
        datasets=(
            DatasetDeclaration(
                name="example-things",
                title="Des choses",
                description="Pour l'essai",
                geometry_type="Point",
                fields=(PublicField("made", "fait le", "string", "date-time"),),
            ),
        ),
    )
    module_register(example)
    try:
        listed = client.get("/api/v1/datasets/").json()
    finally:
        module_unregister("example")
    assert listed[-1] == {
        "name": "example-things",
        "module": "example",
        "title": "Des choses",
        "description": "Pour l'essai",
        "geometry_type": "Point",
        "fields": [{"name": "made", "title": "fait le", "type": "string", "format": "date-time"}],
    }
    assert [d["name"] for d in client.get("/api/v1/datasets/").json()] == [
        name for _, d in datasets() for name in [d.name]
    ]


@pytest.mark.django_db
def test_every_module_s_tile_layer_of_a_dataset_takes_only_its_public_fields():
    space = concertation_create(
        territory=CommuneFactory().territory, title="Un espace", status=Concertation.Status.OPEN
    )
    checked = 0
    for manifest in modules():
        published = {dataset.name: set(dataset.field_names()) for dataset in manifest.datasets}
        for declaration in manifest.tilesets:
            for layer in tileset_layers(declaration.tileset(space.slug)):
                if layer.name in published:
                    assert set(layer.fields) <= published[layer.name], layer.name
                    checked += 1
    assert checked >= 1  # the ideas' "contributions" layer at least


@pytest.mark.django_db
def test_a_module_s_permissions_are_registered_as_named_rules_and_go_with_it():
    assert {"contributions.plan", "contributions.moderate", "contributions.answer"} <= {
        name for name in rules.permissions.permissions if name.startswith("contributions.")
    }
    assert rules.perm_exists("workshops.run_in_commune")
    example = ModuleManifest(
        name="example",
        label="Example",
        app_label="example",
        permissions={"read": rules.is_authenticated, "write": rules.always_deny},
    )
    module_register(example)
    try:
        visitor, someone = AnonymousUser(), UserFactory()
        assert not visitor.has_perm("example.read") and someone.has_perm("example.read")
        assert not someone.has_perm("example.write")
    finally:
        module_unregister("example")
    assert not rules.perm_exists("example.read") and not rules.perm_exists("example.write")


def test_a_module_reaches_another_only_through_its_declared_services():
    from carto_concertation.contributions.services import contribution_capture

    assert module_service("ideas", "capture") is contribution_capture
    with pytest.raises(ServiceMissing):
        module_service("ideas", "no-such-service")
    with pytest.raises(ServiceMissing):
        module_service("no-such-module", "capture")


def test_a_module_requiring_a_missing_one_fails_the_start_up_checks():
    assert modules_requirements_check(None) == []
    needy = ModuleManifest(name="needy", label="Needy", app_label="needy", requires=("absent",))
    module_register(needy)
    try:
        (error,) = modules_requirements_check(None)
    finally:
        module_unregister("needy")
    assert error.id == "core.E001" and "'absent'" in error.msg


def test_a_dataset_s_tileset_is_a_site_wide_tileset_the_module_declares():
    """OGC API – Tiles serves a dataset's ``tileset``: a module cannot name one that none of
    its TilesetDeclaration draws site-wide (``site_wide``)."""
    dataset = DatasetDeclaration(
        name="arbres",
        title="Arbres",
        description="Les arbres.",
        geometry_type="Point",
        fields=(PublicField("espece", "espèce"),),
        tileset=f"arbres-{SITE_WIDE}",
    )
    declaration = TilesetDeclaration(prefix="arbres-", layers=lambda tileset: [])
    undrawn = ModuleManifest(
        name="arbres",
        label="Arbres",
        app_label="arbres",
        tilesets=(declaration,),
        datasets=(dataset,),
    )
    with pytest.raises(ImproperlyConfigured, match="arbres"):
        module_register(undrawn)
    assert module_get("arbres") is None
    drawn = ModuleManifest(
        name="arbres",
        label="Arbres",
        app_label="arbres",
        tilesets=(TilesetDeclaration(prefix="arbres-", layers=lambda t: [], site_wide=True),),
        datasets=(dataset,),
    )
    try:
        module_register(drawn)
        assert site_tilesets("arbres") == ["arbres-portail"]
    finally:
        module_unregister("arbres")


@pytest.mark.django_db
def test_no_space_takes_the_site_wide_tilesets_suffix():
    """``contributions-portail`` is the site's: a concertation titled "Portail" gets an
    address of its own, and no one can give a space that address."""
    concertation = concertation_create(
        territory=CommuneFactory().territory, title="Portail", modules=[]
    )
    assert concertation.slug == "portail-concertation"
    concertation.slug = SITE_WIDE
    with pytest.raises(ValidationError) as refused:
        concertation.full_clean()
    assert list(refused.value.message_dict) == ["slug"]
