# SPDX-License-Identifier: AGPL-3.0-or-later
"""The composition root reads the registry: a module registered with a URL module has its
paths served, and its demo runs after the backbone's, with no line of the house changed."""

from types import ModuleType

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from carto_concertation.accounts.models import Role
from carto_concertation.core.modules import (
    ModuleManifest,
    composed,
    module_register,
    module_unregister,
    modules,
    spaces,
)
from carto_concertation.territories.models import Territory
from carto_concertation.urls import urlpatterns_compose

from ..factories import CommuneFactory


@pytest.fixture
def example_module():
    """A module registered for one test; the URLconf composed again with it."""

    def register(**slots) -> ModuleManifest:
        manifest = ModuleManifest(name="example", label="Example", app_label="example", **slots)
        module_register(manifest)
        return manifest

    yield register
    module_unregister("example")


def composed_urlconf() -> ModuleType:
    urlconf = ModuleType("composed_urls")
    urlconf.urlpatterns = urlpatterns_compose()
    return urlconf


@pytest.mark.django_db
def test_a_registered_module_s_paths_are_served(example_module, client):
    example_module(urls="tests.core.example_module")
    with override_settings(ROOT_URLCONF=composed_urlconf()):
        assert reverse("api:example-ping") == "/api/v1/example/ping"
        assert client.get("/api/v1/example/ping").content == b"pong"
        assert client.get("/exemple/").content.decode() == "la page de l'exemple"
        assert reverse("example:page") == "/exemple/"
        assert client.get("/api/v1/examples/").json() == ["un exemple"]
        # On the API's one router: its root lists the module's route with the house's.
        root = client.get("/api/v1/").json()
        assert {"territories", "concertations", "examples"} <= set(root)
        # The house's own paths are still there.
        assert client.get("/api/v1/concertations/").status_code == 200
    assert client.get("/api/v1/example/ping").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_module_s_demo_runs_after_the_backbone_s(example_module, capsys):
    CommuneFactory()  # another territory: the demo territory is not loaded over it
    seen = []

    def demo(backbone) -> str:
        seen.append(backbone)
        return "Démo de l'exemple chargée"

    example_module(demo=demo)
    call_command("load_demo")

    (backbone,) = seen
    assert backbone.territory is None
    assert set(backbone.accounts) == set(Role)
    assert backbone.accounts[Role.PLANNER].email == "urbanisme@demo.invalid"
    assert "Démo de l'exemple chargée" in capsys.readouterr().out
    assert Territory.objects.count() == 1


def test_the_concertation_is_a_space_composed_before_the_modules():
    assert [space.name for space in spaces()] == ["concertations"]
    assert [part.name for part in composed()] == [
        "concertations",
        "ideas",
        "workshops",
        "signalements",
        "budgets",
        "surveys",
        "crowdfunding",
    ]
    assert "concertations" not in {manifest.name for manifest in modules()}
