# SPDX-License-Identifier: AGPL-3.0-or-later
# The example module's own tests run only where it is installed (tests.settings_example,
# in the process test_example_module.py starts); the main run leaves them out.
from django.apps import apps

collect_ignore_glob = [] if apps.is_installed("examples.noticeboard") else ["noticeboard/*"]
