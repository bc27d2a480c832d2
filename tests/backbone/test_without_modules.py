# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the backbone holds by itself: its migrations and its admin need no participation module.

These tests hold with every module installed too (the main run); tests/backbone/
test_backbone_alone.py runs them again on tests.settings_backbone, where no module is.
They import no participation module, directly or through a conftest.
"""

import re

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

from carto_concertation.core.modules import modules
from carto_concertation.territories.selectors import module_enabled

# The backbone's own factories (the package's __init__ also loads the modules' ones).
from tests.factories.accounts import UserFactory
from tests.factories.territories import TerritoryFactory

# The apps of the backbone (and of Django and the libraries): none of them may need a module.
PARTICIPATION_MODULES = {
    "concertations",
    "contributions",
    "workshops",
    "signalements",
    "budgets",
    "surveys",
    "crowdfunding",
}


@pytest.mark.django_db
def test_migrations_from_empty_leave_nothing_to_apply_and_nothing_to_make():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    changes = MigrationAutodetector(
        executor.loader.project_state(), ProjectState.from_apps(apps)
    ).changes(graph=executor.loader.graph)
    assert changes == {}


def test_no_backbone_migration_depends_on_a_participation_module():
    # Read from the files, without a database: with every module installed, as in the main
    # run, is where such a dependency would show (without them it cannot even load).
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    needs = {
        (app, name, parent[0])
        for app, name in graph.nodes
        if app not in PARTICIPATION_MODULES
        for parent in graph.node_map[(app, name)].parents
        if parent[0] in PARTICIPATION_MODULES
    }
    assert needs == set()


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.django_db
def test_the_home_page_and_the_admin_index_load(superuser_client):
    assert superuser_client.get("/").status_code == 200
    index = superuser_client.get("/admin/")
    assert index.status_code == 200
    for backbone_app in ("territories", "layers", "plui_documents"):
        assert f'href="/admin/{backbone_app}/"' in index.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page",
    [
        "/admin/plui_documents/urbandocument/upload/",
        "/admin/layers/contextlayer/upload/",
        "/admin/layers/rasterlayer/upload/",
    ],
)
def test_the_upload_pages_load_for_a_superuser(superuser_client, page):
    response = superuser_client.get(page)
    assert response.status_code == 200
    assert b'type="file"' in response.content


@pytest.mark.django_db
def test_the_api_schema_is_generated(client):
    # Its enum names point into the modules' models: only those of installed apps count.
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert "/api/v1/layers/" in response.json()["paths"]


@pytest.mark.django_db
def test_a_territory_s_page_lists_the_installed_modules_to_switch_off(superuser_client):
    """The switch-off is the backbone's: its field exists with no module installed, and
    lists the registered modules, none here (a territory's page still saves)."""
    territory = TerritoryFactory()
    url = f"/admin/territories/territory/{territory.pk}/change/"
    page = superuser_client.get(url).content.decode()
    listed = re.findall(r'type="checkbox" name="modules_off" value="([^"]+)"', page)
    assert listed == [manifest.name for manifest in modules()]
    if not modules():
        assert "Aucun module de participation n'est installé." in page
    saved = superuser_client.post(url, {"name": "Nouveau nom"})
    assert saved.status_code == 302
    territory.refresh_from_db()
    assert (territory.name, territory.modules_off) == ("Nouveau nom", [])
    assert module_enabled("any-module", territory.pk)
