# SPDX-License-Identifier: AGPL-3.0-or-later
"""The registry of participation modules (core.modules), as the backbone reads it."""

import pytest

from carto_concertation.concertations.models import Concertation
from carto_concertation.concertations.services import concertation_create
from carto_concertation.core.modules import (
    ModuleAlreadyRegistered,
    ModuleManifest,
    module_get,
    module_register,
    module_unregister,
    modules,
    notification_kinds,
    tileset_declarations,
)
from layers.selectors import tileset_layers

from ..factories import CommuneFactory


def test_the_installed_modules_are_registered_at_start_up_in_app_order():
    assert [manifest.name for manifest in modules()] == ["ideas", "workshops"]
    assert module_get("ideas").app_label == "contributions"
    assert module_get("nothing") is None


@pytest.mark.django_db
def test_the_registry_finds_a_module_s_tileset_and_its_kinds_of_e_mail():
    space = concertation_create(
        territory=CommuneFactory().territory,
        title="Un espace",
        status=Concertation.Status.OPEN,
    )
    (ideas_tiles,) = tileset_declarations()
    assert ideas_tiles.offline
    names = {layer.name for layer in tileset_layers(f"{ideas_tiles.prefix}{space.slug}")}
    assert {"contributions", "contributions_by_commune"} <= names
    assert tileset_layers(f"{ideas_tiles.prefix}no-such-space") == []
    assert [kind.key for kind in notification_kinds()] == ["answer", "reply", "moderation"]


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
