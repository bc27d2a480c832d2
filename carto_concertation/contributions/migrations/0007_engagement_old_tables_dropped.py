# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas' own votes, comments, reports and moderation log go: their rows are
engagement's now (0006_engagement_rows_copied). Backwards, the tables come back empty
(with their constraints and indexes) and 0006 undone fills them."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0006_engagement_rows_copied"),
    ]

    # What points to a comment goes first.
    operations = [
        migrations.DeleteModel(name="Report"),
        migrations.DeleteModel(name="ModerationAction"),
        migrations.DeleteModel(name="Comment"),
        migrations.DeleteModel(name="Vote"),
    ]
