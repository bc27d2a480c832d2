# SPDX-License-Identifier: AGPL-3.0-or-later
"""Staging tables left by the earlier names (``t_<random>`` outside a job, which no sweep
dropped; ``j_<job>_<random>``) take the one rule of layers.staging, born now: beat's
sweep then drops them as it drops the others. A table still locked by an import is left."""

import re
import time

from django.db import DatabaseError, migrations, transaction

EARLIER = re.compile(r"^(?:t_([0-9a-f]{12})[0-9a-f]{20}|j_([0-9a-f]{32})_([0-9a-f]{12}))$")


def rename(apps, schema_editor) -> None:
    connection = schema_editor.connection
    born = int(time.time())
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'staging'")
        names = [row[0] for row in cursor.fetchall()]
    for name in names:
        if not (match := EARLIER.match(name)):
            continue
        job = match[2] or "0" * 32
        new = f"s_{born:010d}_{job}_{match[1] or match[3]}"
        try:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
                cursor.execute(f'ALTER TABLE staging."{name}" RENAME TO "{new}"')
        except DatabaseError:  # in use by an import of the earlier code: left as it is
            continue


class Migration(migrations.Migration):
    dependencies = [("layers", "0003_french_labels")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
