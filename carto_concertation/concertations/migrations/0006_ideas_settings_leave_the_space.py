# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas' settings are the ideas module's now (contributions.0005 copied them): the
concertation, the participatory space, keeps its plan (plui_document) and drops them."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("concertations", "0005_space_module"),
        ("contributions", "0008_ideas_settings_from_concertations"),
    ]

    operations = [
        migrations.RemoveField(model_name="concertation", name="accepted_geometries"),
        migrations.RemoveField(model_name="concertation", name="moderation"),
        migrations.RemoveField(model_name="concertation", name="vote_mode"),
        migrations.RemoveField(model_name="concertation", name="duplicate_distance_m"),
    ]
