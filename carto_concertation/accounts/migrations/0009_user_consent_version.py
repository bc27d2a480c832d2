# SPDX-License-Identifier: AGPL-3.0-or-later

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def last_accepted(apps, schema_editor) -> None:
    """Each account's version is the one of its latest consent (none: asked at its next
    visit)."""
    User = apps.get_model("accounts", "User")
    ConsentRecord = apps.get_model("accounts", "ConsentRecord")
    latest = ConsentRecord.objects.filter(user=OuterRef("pk")).order_by("-accepted_at", "-pk")
    User.objects.filter(pk__in=ConsentRecord.objects.values("user_id")).update(
        consent_version=Subquery(latest.values("version")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_mfa_secrets_encrypted"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="consent_version",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=20,
                verbose_name="version of the notice accepted",
            ),
        ),
        migrations.RunPython(last_accepted, migrations.RunPython.noop),
    ]
