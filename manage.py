#!/usr/bin/env python
# SPDX-License-Identifier: AGPL-3.0-or-later
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carto_concertation.settings")
    # `make run` leaves the variables it serves with in .run/env: the commands typed
    # afterwards reach the same database, Redis and mode. The shell's own variables win.
    run_env = Path(__file__).parent / ".run" / "env"
    if run_env.is_file():
        import environ

        environ.Env.read_env(run_env)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
