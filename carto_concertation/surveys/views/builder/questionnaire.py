# SPDX-License-Identifier: AGPL-3.0-or-later
"""A questionnaire's building page (``gestion/<slug>/``): its settings, publication, its
pages (wording, condition, order) and their questions (order, deletion, a new one), and
a question's own page (``gestion/<slug>/questions/<code>/``): its settings, choices,
markers' follow-up choices, condition and page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ...models import Choice, Question
from ...selectors.builder import concertations_of, zoning_documents_of
from ...selectors.questionnaires import questionnaire_has_answers, questionnaire_pages
from ...services import questionnaires as build
from .forms import (
    ChoiceForm,
    ConditionForm,
    PageForm,
    QuestionCreateForm,
    QuestionForm,
    SettingsForm,
    errors_onto,
)
from .pages import organised


def _refused(request: HttpRequest, form, error: ValidationError) -> None:
    """A service's refusal under the fields of the form sent, else above the page."""
    if form is not None:
        errors_onto(form, error)
    else:
        messages.error(request, " ".join(m for ms in error.message_dict.values() for m in ms))


def _settings_initial(questionnaire) -> dict:
    return {
        "title": questionnaire.title,
        "slug": questionnaire.slug,
        "description": questionnaire.description,
        "opens_at": questionnaire.opens_at,
        "closes_at": questionnaire.closes_at,
        "respondents": questionnaire.respondents,
        "concertation": questionnaire.concertation_id,
        "zoning_document": questionnaire.zoning_document_id,
    }


def _page_forms(pages, posted: str | None, pk: int | None, data) -> list[dict]:
    """Each page with its wording and condition forms (the posted one bound)."""
    earlier: list[Question] = []
    rows = []
    for page in pages:
        bound = data if posted in ("page-update",) and pk == page.pk else None
        rows.append(
            {
                "page": page,
                "form": PageForm(
                    bound,
                    prefix=f"page-{page.pk}",
                    initial={"title": page.title, "description": page.description},
                ),
                "condition": ConditionForm(
                    bound,
                    prefix=f"cond-{page.pk}",
                    sources=list(earlier),
                    initial={"choices": [c.pk for c in page.shown_if_choices.all()]},
                ),
                "question_form": QuestionCreateForm(
                    data if posted == "question-add" and pk == page.pk else None,
                    prefix=f"new-{page.pk}",
                ),
            }
        )
        earlier.extend(page.questions.all())
    return rows


def _pk(request: HttpRequest, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def manage_questionnaire(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire = organised(request, slug)
    action = request.POST.get("action") if request.method == "POST" else None
    data = request.POST if action else None
    user = request.user
    settings_form = SettingsForm(
        data if action == "settings" else None,
        initial=_settings_initial(questionnaire),
        concertations=concertations_of(questionnaire.territory),
        documents=zoning_documents_of(questionnaire.territory),
    )
    page_form = PageForm(data if action == "page-add" else None, prefix="new-page")
    pk = _pk(request, "page")
    pages = questionnaire_pages(questionnaire)
    rows = _page_forms(pages, action, pk, data)
    by_pk = {row["page"].pk: row for row in rows}
    if action:
        page = next((r["page"] for r in rows if r["page"].pk == pk), None)
        question = Question.objects.filter(
            page__questionnaire=questionnaire, code=request.POST.get("question", "")
        ).first()
        form = None
        try:
            if action == "settings":
                form = settings_form
                if form.is_valid():
                    build.questionnaire_update(questionnaire, user=user, **form.settings())
            elif action == "publish":
                build.questionnaire_publish(questionnaire, user=user)
            elif action == "unpublish":
                build.questionnaire_unpublish(questionnaire, user=user)
            elif action == "page-add":
                form = page_form
                if form.is_valid():
                    build.page_create(questionnaire, user=user, **form.cleaned_data)
            elif action in ("page-update", "question-add") and page is not None:
                row = by_pk[page.pk]
                if action == "page-update":
                    form = row["form"]
                    if not row["condition"].is_valid():
                        form = row["condition"]
                    elif form.is_valid():
                        build.page_update(page, user=user, **form.cleaned_data)
                        form = row["condition"]
                        source, choices = form.condition()
                        build.condition_set(page, user=user, question=source, choices=choices)
                else:
                    form = row["question_form"]
                    if form.is_valid():
                        created = build.question_create(page, user=user, **form.cleaned_data)
                        messages.success(request, _("The question is added: set it up below."))
                        return redirect(
                            "surveys:manage-question", slug=questionnaire.slug, code=created.code
                        )
            elif action in ("page-up", "page-down") and page is not None:
                step = -1 if action == "page-up" else 1
                build.page_move(page, user=user, position=max(0, page.position + step))
            elif action == "page-delete" and page is not None:
                build.page_delete(page, user=user)
            elif action in ("question-up", "question-down") and question is not None:
                step = -1 if action == "question-up" else 1
                build.question_move(question, user=user, position=max(0, question.position + step))
            else:
                messages.error(request, _("Unknown action."))
                form = False
            if form is None or (form is not False and not form.errors):
                messages.success(request, _("Saved."))
                return redirect("surveys:manage-questionnaire", slug=questionnaire.slug)
        except ValidationError as error:
            _refused(request, form or None, error)
        questionnaire.refresh_from_db()
    return render(
        request,
        "surveys/builder/questionnaire.html",
        {
            "questionnaire": questionnaire,
            "has_answers": questionnaire_has_answers(questionnaire),
            "settings_form": settings_form,
            "page_form": page_form,
            "pages": rows,
        },
        status=400 if action else 200,
    )


def _question_forms(question: Question, posted: str | None, data, sources) -> dict:
    return {
        "settings_form": QuestionForm(data if posted == "settings" else None, question=question),
        "condition_form": ConditionForm(
            data if posted == "condition" else None,
            sources=sources,
            initial={"choices": [c.pk for c in question.shown_if_choices.all()]},
        ),
        "choice_form": ChoiceForm(data if posted == "choice-add" else None, prefix="choice"),
        "marker_form": ChoiceForm(data if posted == "marker-add" else None, prefix="marker"),
    }


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def manage_question(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    questionnaire = organised(request, slug)
    question = get_object_or_404(
        Question.objects.select_related("page__questionnaire"),
        page__questionnaire=questionnaire,
        code=code,
    )
    pages = questionnaire_pages(questionnaire)
    ordered = [q for p in pages for q in p.questions.all()]
    sources = ordered[: [q.pk for q in ordered].index(question.pk)]
    action = request.POST.get("action") if request.method == "POST" else None
    data = request.POST if action else None
    forms = _question_forms(question, action, data, sources)
    user = request.user
    if action:
        choice = Choice.objects.filter(question=question, pk=_pk(request, "choice")).first()
        form = None
        try:
            if action == "settings":
                form = forms["settings_form"]
                if form.is_valid():
                    question = build.question_update(question, user=user, **form.settings())
            elif action == "condition":
                form = forms["condition_form"]
                if form.is_valid():
                    source, choices = form.condition()
                    build.condition_set(question, user=user, question=source, choices=choices)
            elif action in ("choice-add", "marker-add"):
                form = forms["choice_form" if action == "choice-add" else "marker_form"]
                if form.is_valid():
                    build.choice_create(
                        question,
                        user=user,
                        label=form.cleaned_data["label"],
                        for_marker=action == "marker-add",
                    )
            elif action == "choice-rename" and choice is not None:
                build.choice_update(choice, user=user, label=request.POST.get("label", ""))
            elif action in ("choice-up", "choice-down") and choice is not None:
                step = -1 if action == "choice-up" else 1
                build.choice_move(choice, user=user, position=max(0, choice.position + step))
            elif action == "choice-delete" and choice is not None:
                build.choice_delete(choice, user=user)
            elif action == "move":
                target = next((p for p in pages if p.pk == _pk(request, "page")), None)
                if target is None:
                    raise ValidationError({"page": _("Choose a page of the questionnaire.")})
                build.question_move(
                    question, user=user, page=target, position=target.questions.count()
                )
            elif action == "delete":
                build.question_delete(question, user=user)
                messages.success(request, _("The question is deleted."))
                return redirect("surveys:manage-questionnaire", slug=questionnaire.slug)
            else:
                messages.error(request, _("Unknown action."))
                form = False
            if form is None or (form is not False and not form.errors):
                messages.success(request, _("Saved."))
                return redirect(
                    "surveys:manage-question", slug=questionnaire.slug, code=question.code
                )
        except ValidationError as error:
            _refused(request, form or None, error)
        question.refresh_from_db()
    choices = list(question.choices.order_by("for_marker", "position"))
    return render(
        request,
        "surveys/builder/question.html",
        {
            "questionnaire": questionnaire,
            "question": question,
            "pages": pages,
            "choices": [c for c in choices if not c.for_marker],
            "marker_choices": [c for c in choices if c.for_marker],
            "takes_choices": question.kind in Question.CHOICE_KINDS,
            "takes_markers": question.is_map,
            **forms,
        },
        status=400 if action else 200,
    )
