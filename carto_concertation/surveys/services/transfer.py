# SPDX-License-Identifier: AGPL-3.0-or-later
"""A questionnaire as a JSON file another instance imports (docs/surveys.md, "Builder"):
its settings, pages, questions, choices and conditions, by code; no answer, no person,
no territory. The import checks the whole file first (a fault: its JSON path and the
reason), then creates a new draft on the chosen territory in one transaction, through the
builder's services (their checks hold), so nothing is half-written."""

import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from carto_concertation.territories.models import Territory
from plui_documents.models import UrbanDocument

from ..models import Question, Questionnaire
from ..selectors.questionnaires import questionnaire_pages
from .questionnaires import (
    QUESTION_FIELDS,
    condition_set,
    page_create,
    question_create,
    questionnaire_create,
    slug_free,
)
from .questionnaires.common import require_organise

FORMAT = "carto-concertation/questionnaire"
VERSION = 1
# Files beyond this are not questionnaires (a thousand questions is already a lot).
MAX_BYTES = 2_000_000
SETTINGS = ("title", "slug", "description", "respondents", "opens_at", "closes_at")


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _condition(item) -> dict | None:
    if item.shown_if_question_id is None:
        return None
    return {
        "question": item.shown_if_question.code,
        "choices": [c.label for c in item.shown_if_choices.order_by("position")],
    }


def questionnaire_document(questionnaire: Questionnaire) -> dict[str, Any]:
    """The questionnaire as the file holds it (a dict ready for json.dumps)."""
    pages = []
    for page in questionnaire_pages(questionnaire):
        questions = []
        for question in page.questions.all():
            row: dict[str, Any] = {}
            for name in QUESTION_FIELDS:
                value = getattr(question, name)
                row[name] = _number(value) if name in ("min_value", "max_value") else value
            choices = list(question.choices.all())
            row["choices"] = [c.label for c in choices if not c.for_marker]
            row["marker_choices"] = [c.label for c in choices if c.for_marker]
            row["shown_if"] = _condition(question)
            questions.append(row)
        pages.append(
            {
                "title": page.title,
                "description": page.description,
                "shown_if": _condition(page),
                "questions": questions,
            }
        )
    return {
        "format": FORMAT,
        "version": VERSION,
        "title": questionnaire.title,
        "slug": questionnaire.slug,
        "description": questionnaire.description,
        "respondents": questionnaire.respondents,
        "opens_at": questionnaire.opens_at.isoformat(),
        "closes_at": questionnaire.closes_at.isoformat(),
        "pages": pages,
    }


def questionnaire_export(questionnaire: Questionnaire) -> str:
    """The file's text (UTF-8 JSON, indented, keys in the document's order)."""
    return json.dumps(questionnaire_document(questionnaire), ensure_ascii=False, indent=2) + "\n"


def _fault(path: str, reason: str) -> ValidationError:
    return ValidationError({"file": f"{path}: {reason}"})


def _expect(value: Any, kind: type | tuple, path: str, what: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _fault(path, what)
    return value


def document_read(raw: bytes | str) -> dict[str, Any]:
    """The file parsed and checked as a whole (structure, kinds, codes, conditions by code
    and choice); the first fault as ``{"file": "<JSON path>: <reason>"}``."""
    if len(raw) > MAX_BYTES:
        raise _fault("$", _("the file is larger than 2 MB."))
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise _fault("$", _("not JSON (%(error)s).") % {"error": error}) from None
    _expect(document, dict, "$", _("a JSON object is expected."))
    if document.get("format") != FORMAT:
        raise _fault("$.format", _("“%(format)s” is expected.") % {"format": FORMAT})
    if document.get("version") != VERSION:
        raise _fault("$.version", _("version %(version)s is expected.") % {"version": VERSION})
    for name in SETTINGS:
        _expect(document.get(name, ""), str, f"$.{name}", _("a string is expected."))
    if not str(document.get("title", "")).strip():
        raise _fault("$.title", _("the questionnaire needs a title."))
    for name in ("opens_at", "closes_at"):
        if not isinstance(document.get(name), str) or parse_datetime(document[name]) is None:
            raise _fault(f"$.{name}", _("a date and time (ISO 8601) is expected."))
    if document.get("respondents") not in Questionnaire.Respondents.values:
        raise _fault(
            "$.respondents",
            _("one of %(values)s is expected.")
            % {"values": ", ".join(Questionnaire.Respondents.values)},
        )
    pages = _expect(document.get("pages"), list, "$.pages", _("a list of pages is expected."))
    choices_of: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    for p, page in enumerate(pages):
        where = f"$.pages[{p}]"
        _expect(page, dict, where, _("a JSON object is expected."))
        for name in ("title", "description"):
            _expect(page.get(name, ""), str, f"{where}.{name}", _("a string is expected."))
        _condition_read(page.get("shown_if"), f"{where}.shown_if", choices_of, kinds)
        questions = _expect(
            page.get("questions", []), list, f"{where}.questions", _("a list is expected.")
        )
        for q, question in enumerate(questions):
            _question_read(question, f"{where}.questions[{q}]", choices_of, kinds)
    return document


def _question_read(question: Any, where: str, choices_of: dict, kinds: dict) -> None:
    _expect(question, dict, where, _("a JSON object is expected."))
    unknown = sorted(
        set(question) - set(QUESTION_FIELDS) - {"choices", "marker_choices", "shown_if"}
    )
    if unknown:
        raise _fault(f"{where}.{unknown[0]}", _("this key does not exist."))
    code = question.get("code")
    _expect(code, str, f"{where}.code", _("a code is expected."))
    if not code or code in kinds:
        raise _fault(f"{where}.code", _("each question needs a code of its own."))
    if question.get("kind") not in Question.Kind.values:
        raise _fault(f"{where}.kind", _("an unknown kind of question."))
    for name, default in QUESTION_FIELDS.items():
        if name in question and question[name] is not None and default is not None:
            expected = str if isinstance(default, str) else type(default)
            _expect(question[name], expected, f"{where}.{name}", _("a wrong type."))
        if name in ("min_value", "max_value") and question.get(name) is not None:
            _expect(question[name], (int, float), f"{where}.{name}", _("a number is expected."))
    # The condition reads the questions before this one only.
    _condition_read(question.get("shown_if"), f"{where}.shown_if", choices_of, kinds)
    for name in ("choices", "marker_choices"):
        labels = _expect(question.get(name, []), list, f"{where}.{name}", _("a list."))
        for c, label in enumerate(labels):
            _expect(label, str, f"{where}.{name}[{c}]", _("a string is expected."))
    kinds[code] = question["kind"]
    choices_of[code] = list(question.get("choices", []))


def _condition_read(condition: Any, where: str, choices_of: dict, kinds: dict) -> None:
    if condition is None:
        return
    _expect(condition, dict, where, _("a JSON object or null is expected."))
    code = condition.get("question")
    if code not in kinds:
        raise _fault(f"{where}.question", _("no earlier question has this code."))
    labels = _expect(condition.get("choices"), list, f"{where}.choices", _("a list."))
    for c, label in enumerate(labels):
        if label not in choices_of[code]:
            raise _fault(f"{where}.choices[{c}]", _("not a choice of that question."))


@transaction.atomic
def questionnaire_import(
    raw: bytes | str,
    *,
    territory: Territory,
    user,
    zoning_document: UrbanDocument | None = None,
) -> Questionnaire:
    """A new draft questionnaire on ``territory`` from a file. ``user`` is the organiser,
    or None for the command line (run by the instance's operator). A file asking zone
    questions takes ``zoning_document``, else the territory's PLU/PLUi when it has one."""
    document = document_read(raw)
    if user is not None:
        require_organise(Questionnaire(territory=territory), user)
    if zoning_document is None:
        documents = list(territory.urban_documents.filter(current_version__isnull=False)[:2])
        zoning_document = documents[0] if len(documents) == 1 else None
    creator = _Creator(user)
    questionnaire = creator.call(
        "$",
        questionnaire_create,
        user=creator.user,
        territory=territory,
        title=document["title"].strip(),
        slug=slug_free(document.get("slug") or document["title"]),
        description=document.get("description", ""),
        respondents=document["respondents"],
        opens_at=parse_datetime(document["opens_at"]),
        closes_at=parse_datetime(document["closes_at"]),
        zoning_document_id=zoning_document.pk if zoning_document else None,
    )
    by_code: dict[str, Question] = {}
    for p, page_doc in enumerate(document["pages"]):
        where = f"$.pages[{p}]"
        page = creator.call(
            where,
            page_create,
            questionnaire,
            user=creator.user,
            title=page_doc.get("title", ""),
            description=page_doc.get("description", ""),
        )
        creator.condition(page, page_doc.get("shown_if"), f"{where}.shown_if", by_code)
        for q, question_doc in enumerate(page_doc.get("questions", [])):
            here = f"{where}.questions[{q}]"
            fields = {k: v for k, v in question_doc.items() if k in QUESTION_FIELDS}
            for name in ("min_value", "max_value"):
                if fields.get(name) is not None:
                    fields[name] = Decimal(str(fields[name]))
            question = creator.call(
                here,
                question_create,
                page,
                user=creator.user,
                choices=question_doc.get("choices", []),
                marker_choices=question_doc.get("marker_choices", []),
                **fields,
            )
            by_code[question.code] = question
            creator.condition(question, question_doc.get("shown_if"), f"{here}.shown_if", by_code)
    return questionnaire


class _Creator:
    """Calls the builder's services for an import, each fault under the JSON path of the
    item it came from. The command line has no organiser: it acts as the system, whose
    permission the services ask of an administrator-like stand-in."""

    def __init__(self, user) -> None:
        self.user = user if user is not None else _System()

    def call(self, where: str, service, *args, **kwargs):
        try:
            return service(*args, **kwargs)
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            raise _fault(f"{where}.{field}" if where else field, " ".join(messages)) from None

    def condition(self, target, condition: dict | None, where: str, by_code: dict) -> None:
        if condition is None:
            return
        question = by_code[condition["question"]]
        choices = list(question.choices.filter(for_marker=False, label__in=condition["choices"]))
        self.call(where, condition_set, target, user=self.user, question=question, choices=choices)


class _System:
    """The operator running ``import_questionnaire``: may build on any territory."""

    pk = None
    is_authenticated = True

    def has_perm(self, perm: str, obj=None) -> bool:
        return perm == "surveys.organise"
