# SPDX-License-Identifier: AGPL-3.0-or-later
"""The questionnaire as a JSON file: export → import on a fresh territory → export gives
the same file (but the slug and dates); a bad file is refused with its JSON path and
writes nothing; the commands' help, errors and exit codes."""

import json
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from carto_concertation.surveys.models import Choice, Question, Questionnaire, SurveyPage
from carto_concertation.surveys.services.questionnaires import page_create, question_create
from carto_concertation.surveys.services.transfer import (
    FORMAT,
    questionnaire_document,
    questionnaire_export,
    questionnaire_import,
)
from tests.factories.plui_documents import zoned_plui
from tests.factories.territories import TerritoryFactory

from .builder_world import builder_world

pytestmark = pytest.mark.django_db


def _every_kind(world) -> None:
    page = page_create(world.questionnaire, user=world.planner, title="Tout", description="…")
    for kind in Question.Kind:
        extra: dict = {}
        if kind in Question.CHOICE_KINDS:
            extra["choices"] = ["un", "deux"]
        if kind in Question.MAP_KINDS:
            extra.update(marker_choice_label="Pourquoi ?", marker_choices=["x", "y"])
        question_create(page, user=world.planner, kind=kind, code=f"k-{kind}", label="?", **extra)


def _without_slug_and_dates(document: dict) -> dict:
    return {k: v for k, v in document.items() if k not in ("slug", "opens_at", "closes_at")}


def test_round_trip_gives_the_same_file():
    world = builder_world()
    _every_kind(world)
    text = questionnaire_export(world.questionnaire)
    document = json.loads(text)
    assert document["format"] == FORMAT and document["version"] == 1
    assert document["pages"][1]["questions"][0]["shown_if"] == {
        "question": "mode",
        "choices": ["Vélo"],
    }
    fresh = TerritoryFactory(communes=1)
    zoned_plui(fresh)
    imported = questionnaire_import(text, territory=fresh, user=None)
    assert imported.territory == fresh and not imported.is_published
    assert imported.zoning_document.territory == fresh
    assert imported.slug == "plan-velo-2"
    assert _without_slug_and_dates(questionnaire_document(imported)) == _without_slug_and_dates(
        document
    )
    # No person travels: the creator is not named.
    assert "created_by" not in text and world.planner.email not in text


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d.update(format="autre"), "$.format"),
        (lambda d: d.update(version=2), "$.version"),
        (lambda d: d.update(opens_at="demain"), "$.opens_at"),
        (lambda d: d.update(respondents="tous"), "$.respondents"),
        (
            lambda d: d["pages"][0]["questions"][0].update(kind="dessin"),
            "$.pages[0].questions[0].kind",
        ),
        (
            lambda d: d["pages"][1]["questions"][0].update(code="mode"),
            "$.pages[1].questions[0].code",
        ),
        (
            lambda d: d["pages"][1]["questions"][0]["shown_if"].update(choices=["Avion"]),
            "$.pages[1].questions[0].shown_if.choices[0]",
        ),
        (
            lambda d: d["pages"][0].update(shown_if={"question": "danger", "choices": []}),
            "$.pages[0].shown_if.question",
        ),
        (
            lambda d: d["pages"][0]["questions"][0].update(max_count="3"),
            "$.pages[0].questions[0].max_count",
        ),
        # Caught by the services, once the earlier rows are written: rolled back.
        (
            lambda d: d["pages"][1]["questions"][0].update(min_value=1),
            "$.pages[1].questions[0].min_value",
        ),
        (
            lambda d: d["pages"][1]["questions"][0].update(kind="scale"),
            "$.pages[1].questions[0].max_count",
        ),
    ],
)
def test_a_bad_file_gets_its_json_path_and_writes_nothing(mutate, path):
    world = builder_world()
    document = questionnaire_document(world.questionnaire)
    mutate(document)
    counts = (Questionnaire.objects.count(), SurveyPage.objects.count(), Choice.objects.count())
    with pytest.raises(ValidationError) as error:
        questionnaire_import(json.dumps(document), territory=world.territory, user=None)
    message = error.value.message_dict["file"][0]
    assert message.startswith(path + ":"), message
    assert (
        Questionnaire.objects.count(),
        SurveyPage.objects.count(),
        Choice.objects.count(),
    ) == counts


def test_not_json_and_not_an_object():
    world = builder_world()
    for raw in (b"{", b"[]", b"\xff\xfe"):
        with pytest.raises(ValidationError) as error:
            questionnaire_import(raw, territory=world.territory, user=None)
        assert error.value.message_dict["file"][0].startswith("$:")


def test_the_commands(tmp_path, capsys):
    world = builder_world()
    target = tmp_path / "plan.json"
    call_command("export_questionnaire", "plan-velo", "--output", str(target))
    fresh = TerritoryFactory(communes=1)
    zoned_plui(fresh)
    call_command("import_questionnaire", str(target), "--territory", fresh.siren)
    assert Questionnaire.objects.get(territory=fresh).title == "Plan vélo"
    with pytest.raises(CommandError, match="SIREN"):
        call_command("import_questionnaire", str(target), "--territory", "000000000")
    with pytest.raises(CommandError, match="No questionnaire"):
        call_command("export_questionnaire", "inconnu")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "x"}')
    with pytest.raises(CommandError, match=r"\$\.format"):
        call_command("import_questionnaire", str(bad), "--territory", world.territory.siren)
    with pytest.raises(CommandError, match="Cannot read"):
        call_command(
            "import_questionnaire", str(tmp_path / "absent.json"), "--territory", fresh.siren
        )


def test_the_commands_help_and_exit_code():
    for command in ("import_questionnaire", "export_questionnaire"):
        done = subprocess.run(
            [sys.executable, "manage.py", command, "--help"], capture_output=True, text=True
        )
        assert done.returncode == 0 and "questionnaire" in done.stdout
    done = subprocess.run(
        [sys.executable, "manage.py", "import_questionnaire", "x.json"],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "--territory" in done.stderr
