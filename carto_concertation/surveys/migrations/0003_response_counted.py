# SPDX-License-Identifier: AGPL-3.0-or-later
"""A banned account's response is kept but not counted (Response.counted): the results
per zone leave it out, as the results page does."""

from importlib import import_module

from django.db import migrations, models

SUBMITTED = "r.status = 'submitted'"
BEFORE = import_module("carto_concertation.surveys.migrations.0002_zone_results_view")
OLD_VIEW = BEFORE.ZONE_RESULTS_VIEW.replace("CREATE VIEW", "CREATE OR REPLACE VIEW")
NEW_VIEW = OLD_VIEW.replace(SUBMITTED, f"{SUBMITTED} AND r.counted")


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0002_zone_results_view"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="counted",
            field=models.BooleanField(db_default=True, default=True, verbose_name="counted"),
        ),
        migrations.RunSQL(NEW_VIEW, OLD_VIEW),
    ]
