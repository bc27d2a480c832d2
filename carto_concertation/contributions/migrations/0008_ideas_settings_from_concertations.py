# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas' settings leave the concertation for the ideas module (issue 16, point 2):
every concertation gets its ideas module (a SpaceModule named "ideas") and its
IdeasSettings with the values it had. Reversible: the values go back to the concertation
(whose fields concertations.0005 gives back first) and the ideas modules go."""

import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models

import carto_concertation.contributions.space_settings

SETTINGS = ("accepted_geometries", "moderation", "vote_mode", "duplicate_distance_m")


def settings_to_the_module(apps, schema_editor) -> None:
    Concertation = apps.get_model("concertations", "Concertation")
    SpaceModule = apps.get_model("concertations", "SpaceModule")
    IdeasSettings = apps.get_model("contributions", "IdeasSettings")
    for concertation in Concertation.objects.order_by("pk"):
        space_module, _ = SpaceModule.objects.get_or_create(
            concertation=concertation, module="ideas", defaults={"position": 0}
        )
        IdeasSettings.objects.update_or_create(
            space_module=space_module,
            defaults={name: getattr(concertation, name) for name in SETTINGS},
        )


def settings_back_to_the_space(apps, schema_editor) -> None:
    Concertation = apps.get_model("concertations", "Concertation")
    SpaceModule = apps.get_model("concertations", "SpaceModule")
    IdeasSettings = apps.get_model("contributions", "IdeasSettings")
    for settings in IdeasSettings.objects.select_related("space_module"):
        Concertation.objects.filter(pk=settings.space_module.concertation_id).update(
            **{name: getattr(settings, name) for name in SETTINGS}
        )
    SpaceModule.objects.filter(module="ideas").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0007_engagement_old_tables_dropped"),
        ("concertations", "0005_space_module"),
    ]

    operations = [
        migrations.CreateModel(
            name="IdeasSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "accepted_geometries",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(
                            choices=[("point", "point"), ("line", "line"), ("area", "area")],
                            max_length=5,
                        ),
                        default=carto_concertation.contributions.space_settings.all_geometry_kinds,
                        size=None,
                        verbose_name="accepted geometries",
                    ),
                ),
                (
                    "moderation",
                    models.CharField(
                        choices=[("before", "before publication"), ("after", "after publication")],
                        default="after",
                        max_length=6,
                        verbose_name="moderation",
                    ),
                ),
                (
                    "vote_mode",
                    models.CharField(
                        choices=[
                            ("for_against", "for or against"),
                            ("support", "support"),
                            ("rating", "rating from −2 to +2"),
                        ],
                        default="support",
                        max_length=12,
                        verbose_name="votes",
                    ),
                ),
                (
                    "duplicate_distance_m",
                    models.PositiveIntegerField(
                        default=150, verbose_name="distance for near-duplicates (m)"
                    ),
                ),
                (
                    "space_module",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ideas_settings",
                        to="concertations.spacemodule",
                        verbose_name="module of the concertation",
                    ),
                ),
            ],
            options={
                "verbose_name": "settings of the ideas map",
                "verbose_name_plural": "settings of the ideas maps",
            },
        ),
        migrations.RunPython(settings_to_the_module, settings_back_to_the_space),
    ]
