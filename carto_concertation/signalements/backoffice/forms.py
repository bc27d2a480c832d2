# SPDX-License-Identifier: AGPL-3.0-or-later
"""The agents' forms: a state with its public text (and its reason where the state needs
one), another service, the original of a duplicate, and the queue's bulk change. The
workflow's services (services/workflow.py) decide what is allowed (which moves, which
state needs its reason); these only read the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Report, Service
from ..services.workflow import ALLOWED_MOVES, REASON_MAX, TEXT_MAX

# The states an agent gives from the forms: "doublon" has its own form (it names the
# original), "non confirmé" is the reporter's to leave.
STATES_GIVEN = [
    (code, label)
    for code, label in Report.State.choices
    if code not in (Report.State.UNCONFIRMED, Report.State.DUPLICATE)
]


def public_text(
    label: str, *, rows: int = 2, required: bool = False, max_length: int = TEXT_MAX
) -> forms.CharField:
    """A text of a step, kept as typed (the history shows it)."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class StateForm(forms.Form):
    state = forms.ChoiceField(label=_("New state"), choices=STATES_GIVEN)
    text = public_text(
        _("Public update (the reporter and the followers read it)"), rows=3, required=True
    )
    # Asked for "not fixed" and "not our responsibility": the workflow says so if missing.
    reason = public_text(
        _("Reason (why not fixed; for “not our responsibility”, the body to contact)"),
        max_length=REASON_MAX,
    )


class ReportStateForm(StateForm):
    """A report's own form: only the states the workflow lets it move to (its own state
    too: an update without a change)."""

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        moves = ALLOWED_MOVES.get(report.state, set())
        self.fields["state"].choices = [
            (code, label) for code, label in STATES_GIVEN if code in moves
        ]


class BulkStateForm(StateForm):
    ids = forms.TypedMultipleChoiceField(
        label=_("Reports"),
        coerce=int,
        error_messages={"required": _("Tick the reports to change.")},
    )

    def __init__(self, *args, choosable: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(pk, pk) for pk in choosable]


class RerouteForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Send to the service"), queryset=Service.objects.none()
    )
    text = public_text(_("Public update (optional)"))

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        # Another service of the report's territory (the commune's or the EPCI's).
        self.fields["service"].queryset = (
            Service.objects.filter(territory_id=report.territory_id)
            .exclude(pk=report.service_id)
            .select_related("commune")
        )


class DuplicateForm(forms.Form):
    original = forms.IntegerField(
        label=_("Duplicate of report no."),
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    text = public_text(_("Public update (optional)"))

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report

    def clean_original(self) -> Report:
        """The original: a confirmed report of the same territory, not this one (the
        workflow's service says whether it may be joined)."""
        number = self.cleaned_data["original"]
        original = (
            Report.objects.filter(pk=number, territory_id=self.report.territory_id)
            .exclude(pk=self.report.pk)
            .exclude(state=Report.State.UNCONFIRMED)
            .first()
        )
        if original is None:
            raise forms.ValidationError(
                _("No report no. %(number)s to join in this territory."),
                params={"number": number},
            )
        return original
