# SPDX-License-Identifier: AGPL-3.0-or-later
"""The answer templates belong to the ideas module now (contributions 0005 takes the model
and its table, with every row): the concertation forgets the model and leaves the table
alone. Backwards, the model is the concertation's again, over the same table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("concertations", "0003_add_answer_template"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AnswerTemplate")],
            database_operations=[],
        ),
    ]
