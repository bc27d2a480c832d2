# SPDX-License-Identifier: AGPL-3.0-or-later
"""A concertation holds instances of participation modules (issue 16, point 2)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("concertations", "0004_answertemplate_moved_out"),
    ]

    operations = [
        migrations.CreateModel(
            name="SpaceModule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("module", models.CharField(max_length=40, verbose_name="module")),
                (
                    "position",
                    models.PositiveSmallIntegerField(default=0, verbose_name="position"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "concertation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="modules",
                        to="concertations.concertation",
                        verbose_name="concertation",
                    ),
                ),
            ],
            options={
                "verbose_name": "module of the concertation",
                "verbose_name_plural": "modules of the concertation",
                "ordering": ["concertation", "position", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("concertation", "module"), name="spacemodule_unique_module"
                    )
                ],
            },
        ),
    ]
