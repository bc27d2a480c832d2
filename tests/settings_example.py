# SPDX-License-Identifier: AGPL-3.0-or-later
"""The tests' settings with the example module installed (examples/noticeboard).

tests/example_module/test_example_module.py runs the example's own tests on these settings,
in a process of its own, with a test database and cache prefix of their own (as
tests.settings_backbone does), so that the main run never sees the example's model.
"""

from tests.settings import *  # noqa: F403
from tests.settings import CACHES, DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "examples.noticeboard"]
DATABASES = {
    "default": {
        **DATABASES["default"],
        "TEST": {"NAME": f"test_{DATABASES['default']['NAME']}_example"},
    }
}
CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": "carto-example"}}
