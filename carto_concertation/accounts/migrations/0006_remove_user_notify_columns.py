from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_notification_preferences_from_user"),
    ]

    operations = [
        migrations.RemoveField(model_name="user", name="notify_answers"),
        migrations.RemoveField(model_name="user", name="notify_moderation"),
        migrations.RemoveField(model_name="user", name="notify_replies"),
    ]
