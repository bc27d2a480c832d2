# SPDX-License-Identifier: AGPL-3.0-or-later
"""The texts typed before plain text was stored as typed: nh3 had written ``&``, ``<``,
``>`` and the no-break space as ``&amp;``, ``&lt;``, ``&gt;`` and ``&nbsp;``, which the
pages then escaped again. Only those four entities are turned back into characters
(``&amp;`` last, so that a typed ``&lt;``, stored ``&amp;lt;``, comes back as typed)."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Replace

# Every text that went through core.text.plain_text, by model.
FIELDS = {
    ("contributions", "Contribution"): (
        "title",
        "text",
        "answer",
        "answer_service",
        "moderation_reason",
    ),
    ("contributions", "Comment"): ("text", "moderation_reason"),
    ("contributions", "Report"): ("reason",),
    ("contributions", "ModerationAction"): ("reason",),
    ("concertations", "AnswerTemplate"): ("title", "text", "service"),
}
ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&nbsp;", "\u00a0"), ("&amp;", "&"))


def _unescaped(field: str):
    expression = F(field)
    for entity, character in ENTITIES:
        expression = Replace(expression, Value(entity), Value(character))
    return expression


def unescape_typed_texts(apps, schema_editor):
    for (app, name), fields in FIELDS.items():
        model = apps.get_model(app, name)
        for field in fields:
            model.objects.filter(**{f"{field}__contains": "&"}).update(**{field: _unescaped(field)})


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0003_photos_comments_moderation"),
        ("concertations", "0003_add_answer_template"),
    ]

    operations = [
        migrations.RunPython(unescape_typed_texts, migrations.RunPython.noop, elidable=True),
    ]
