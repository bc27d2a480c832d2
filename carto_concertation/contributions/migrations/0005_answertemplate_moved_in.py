# SPDX-License-Identifier: AGPL-3.0-or-later
"""The answer templates join the ideas module (its planning tools) with every row: the
model is created here in the state only, over the table concertations 0003 made, and the
table is renamed to this app's name; concertations 0004 then forgets the model, its table
untouched. Backwards, the table takes its old name again and concertations owns the model.
The constraints keep their names (answertemplate_unique_title,
answertemplate_closing_has_answer), unique in the project."""

import django.db.models.deletion
from django.db import migrations, models

OLD_TABLE = "concertations_answertemplate"
NEW_TABLE = "contributions_answertemplate"


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0004_unescape_typed_texts"),
        ("concertations", "0003_add_answer_template"),
    ]
    # The space forgets the model only once this module owns it: its migration names no
    # module, the order is given from here.
    run_before = [("concertations", "0004_answertemplate_moved_out")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"ALTER TABLE {OLD_TABLE} RENAME TO {NEW_TABLE}",
                    reverse_sql=f"ALTER TABLE {NEW_TABLE} RENAME TO {OLD_TABLE}",
                ),
            ],
            state_operations=[
                migrations.CreateModel(
                    name="AnswerTemplate",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("title", models.CharField(max_length=120, verbose_name="title")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("under_study", "under study"),
                                    ("retained", "retained"),
                                    ("partly_retained", "partly retained"),
                                    ("not_retained", "not retained"),
                                ],
                                max_length=15,
                                verbose_name="status given",
                            ),
                        ),
                        (
                            "text",
                            models.TextField(blank=True, max_length=5000, verbose_name="answer"),
                        ),
                        (
                            "service",
                            models.CharField(
                                blank=True, max_length=120, verbose_name="answering service"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "concertation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="answer_templates",
                                to="concertations.concertation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "answer template",
                        "verbose_name_plural": "answer templates",
                        "ordering": ["concertation", "title"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("concertation", "title"),
                                name="answertemplate_unique_title",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("status", "under_study"),
                                    models.Q(
                                        models.Q(("text", ""), _negated=True),
                                        models.Q(("service", ""), _negated=True),
                                    ),
                                    _connector="OR",
                                ),
                                name="answertemplate_closing_has_answer",
                            ),
                        ],
                    },
                ),
            ],
        ),
    ]
