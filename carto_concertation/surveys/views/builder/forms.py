# SPDX-License-Identifier: AGPL-3.0-or-later
"""The builder's forms: they check types and sizes; the services check the rest and
their refusals come back under the field they name (``errors_onto``)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ...models import Choice, Question, Questionnaire
from ...services.questionnaires import QUESTION_FIELDS, settings_of
from ...services.questionnaires.common import CONDITION_KINDS


def errors_onto(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal shown under the field it names (on top when not a field)."""
    for field, messages in error.message_dict.items():
        name = field.removesuffix("_id")
        form.add_error(name if name in form.fields else None, messages)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        # To the second, so that a date left as it was reads as unchanged.
        super().__init__(format="%Y-%m-%dT%H:%M:%S", attrs={"step": 1})


class SettingsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=80,
        required=False,
        help_text=_("The end of the questionnaire's address; made from the title if empty."),
    )
    description = forms.CharField(
        label=_("Description"), max_length=10000, required=False, widget=forms.Textarea
    )
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DateTimeInput())
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DateTimeInput())
    respondents = forms.ChoiceField(
        label=_("Who answers"), choices=Questionnaire.Respondents.choices
    )
    concertation = forms.TypedChoiceField(
        label=_("Concertation"), coerce=int, empty_value=None, required=False
    )
    zoning_document = forms.TypedChoiceField(
        label=_("PLU/PLUi"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Needed to pick zones; by default the concertation's."),
    )

    def __init__(self, *args, concertations, documents, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["concertation"].choices = [("", _("none: on the whole territory"))] + [
            (space.pk, space.title) for space in concertations
        ]
        self.fields["zoning_document"].choices = [("", "—")] + [
            (document.pk, str(document)) for document in documents
        ]

    def settings(self) -> dict:
        data = dict(self.cleaned_data)
        data["concertation_id"] = data.pop("concertation")
        data["zoning_document_id"] = data.pop("zoning_document")
        if not data["slug"]:
            # Left empty: made from the title (a new one) or kept.
            data.pop("slug")
        # A date left as it was is not sent (the form holds it to the second only).
        for name in ("opens_at", "closes_at"):
            if self.initial.get(name) is not None and name not in self.changed_data:
                data.pop(name)
        return data


class CreateForm(SettingsForm):
    territory = forms.ModelChoiceField(label=_("Territory"), queryset=None, empty_label=None)

    field_order = ["territory"]

    def __init__(self, *args, territories, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories

    def settings(self) -> dict:
        data = super().settings()
        if data["zoning_document_id"] is None:
            # Let the concertation's PLU/PLUi come by default.
            data.pop("zoning_document_id")
        return data


class ImportForm(forms.Form):
    territory = forms.ModelChoiceField(label=_("Territory"), queryset=None, empty_label=None)
    file = forms.FileField(label=_("Questionnaire file (JSON)"))

    def __init__(self, *args, territories, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories


class PageForm(forms.Form):
    title = forms.CharField(label=_("Title of the page"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Introduction"), max_length=5000, required=False, widget=forms.Textarea
    )


class ConditionForm(forms.Form):
    """Show only for some answers: the choices chosen, all of one question (none: always)."""

    choices = forms.TypedMultipleChoiceField(
        label=_("Shown only to those who chose"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choices of one earlier question; none: always shown."),
    )

    def __init__(self, *args, sources: list[Question], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choices"].choices = [
            (
                f"{q.code} — {q.label}",
                [(c.pk, c.label) for c in q.choices.all() if not c.for_marker],
            )
            for q in sources
            if q.kind in CONDITION_KINDS
        ]

    def condition(self) -> tuple[Question | None, list[Choice]]:
        choices = list(Choice.objects.filter(pk__in=self.cleaned_data["choices"]))
        questions = {c.question_id for c in choices}
        if len(questions) > 1:
            raise ValidationError(
                {"shown_if_choices": _("Choose the choices of one question only.")}
            )
        question = choices[0].question if choices else None
        return question, choices


class QuestionCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=Question.Kind.choices)
    label = forms.CharField(label=_("Question"), max_length=500)
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        required=False,
        help_text=_("A short name for the exports (letters, digits, dashes); made up if empty."),
    )


class QuestionForm(forms.Form):
    """A question's settings: those its kind takes, as the model describes them."""

    def __init__(self, *args, question: Question, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in settings_of(question.kind):
            if name == "kind":
                continue
            field = Question._meta.get_field(name).formfield()
            # An empty count or bound is the kind's default (no limit).
            field.required = name in ("code", "label")
            self.fields[name] = field
            self.initial[name] = getattr(question, name)

    def settings(self) -> dict:
        return {
            name: QUESTION_FIELDS[name] if value is None else value
            for name, value in self.cleaned_data.items()
        }


class ChoiceForm(forms.Form):
    label = forms.CharField(label=_("Choice"), max_length=300)
