"""Each person's e-mail choices move from three User columns to NotificationPreference rows.

Only the refusals become rows: every kind defaulted to "accepted", and a True column
cannot be told from a person who never chose, which is what "no row" means (the kind's
default, declared by the ideas module). The keys are those the ideas module declares
(contributions/manifest.py), written here as they were when the columns went.
"""

from django.db import migrations

# The User column → the kind's key.
COLUMNS = {
    "notify_answers": "answer",
    "notify_replies": "reply",
    "notify_moderation": "moderation",
}


def preferences_from_columns(apps, schema_editor) -> None:
    User = apps.get_model("accounts", "User")
    NotificationPreference = apps.get_model("accounts", "NotificationPreference")
    for column, kind in COLUMNS.items():
        refused = User.objects.filter(**{column: False}).values_list("pk", flat=True)
        NotificationPreference.objects.bulk_create(
            [NotificationPreference(user_id=pk, kind=kind, accepted=False) for pk in refused],
            batch_size=1000,
            ignore_conflicts=True,
        )


def columns_from_preferences(apps, schema_editor) -> None:
    """Back: the columns take each row's choice (no row: accepted, the columns' default)."""
    User = apps.get_model("accounts", "User")
    NotificationPreference = apps.get_model("accounts", "NotificationPreference")
    for column, kind in COLUMNS.items():
        for accepted in (True, False):
            chosen = NotificationPreference.objects.filter(kind=kind, accepted=accepted)
            User.objects.filter(pk__in=chosen.values("user_id")).update(**{column: accepted})
    NotificationPreference.objects.filter(kind__in=COLUMNS.values()).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_notification_preference"),
    ]

    operations = [
        migrations.RunPython(preferences_from_columns, columns_from_preferences),
    ]
