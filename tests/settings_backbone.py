# SPDX-License-Identifier: AGPL-3.0-or-later
"""The tests' settings without any participation module: the backbone alone.

tests/backbone/test_backbone_alone.py runs a chosen set of the backbone's tests on these
settings, in a process of its own, to show that the backbone (migrations, zoning tiles,
the layer registry, imports, the admin) needs no participation module. That process runs
inside the main run: its test database has a name of its own, so that it never touches
the main run's, and its cache keys a prefix of their own on the main run's Redis (which
it does not empty: the main run's worker uses it). Tile keys already name their database.
"""

from tests.settings import *  # noqa: F403
from tests.settings import (
    CACHES,
    DATABASES,
    INSTALLED_APPS,
    SPECTACULAR_SETTINGS,
    enum_names_of_installed_apps,
)

PARTICIPATION_MODULES = (
    "carto_concertation.concertations",
    "carto_concertation.engagement",
    "carto_concertation.contributions",
    "carto_concertation.workshops",
    "carto_concertation.signalements",
    "carto_concertation.budgets",
    "carto_concertation.surveys",
    "carto_concertation.crowdfunding",
)
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in PARTICIPATION_MODULES]
DATABASES = {
    "default": {
        **DATABASES["default"],
        "TEST": {"NAME": f"test_{DATABASES['default']['NAME']}_backbone"},
    }
}
CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": "carto-backbone"}}
SPECTACULAR_SETTINGS = {
    **SPECTACULAR_SETTINGS,
    "ENUM_NAME_OVERRIDES": enum_names_of_installed_apps(
        SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"], INSTALLED_APPS
    ),
}
