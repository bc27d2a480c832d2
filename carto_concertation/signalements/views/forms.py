# SPDX-License-Identifier: AGPL-3.0-or-later
"""The residents' forms. They check what a form can (types, lengths, one way of placing
the report); the rules of a report (inside the territory, a leaf category, the required
answers, photos, the sender's limits) are report_submit's, whose ValidationError names
the field."""

from django import forms
from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils.translation import gettext_lazy as _

from carto_concertation.territories.models import Commune

from ..models import Category, CategoryQuestion, Report

MAX_PHOTOS = 3
# The field a person never sees (nor hears): a robot that fills every field fills it.
HONEYPOT = "site_web"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to three files; whether each is an image is report_submit's to say."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [file for file in (data or []) if file] if isinstance(data, list) else [data]
        files = [file for file in files if file]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most three photos."), code="too_many")
        return [super(PhotosField, self).clean(file, initial) for file in files]


def leaf_of(categories: list[Category], raw) -> Category | None:
    """The category ``raw`` names among the territory's, when reports are filed on it
    (one without children)."""
    try:
        wanted = int(raw)
    except (TypeError, ValueError):
        return None
    if any(category.parent_id == wanted for category in categories):
        return None
    return next((category for category in categories if category.pk == wanted), None)


def _leaf_choices(categories: list[Category]) -> list:
    """The categories a report is filed on, grouped under their parent (the tree as a
    select shows it: parent, then child)."""
    children: dict[int, list[Category]] = {}
    for category in categories:
        if category.parent_id:
            children.setdefault(category.parent_id, []).append(category)
    choices: list = [("", _("Choose a category"))]
    for category in categories:
        if category.parent_id:
            continue
        below = children.get(category.pk)
        if below:
            choices.append((category.name, [(child.pk, child.name) for child in below]))
        else:
            choices.append((category.pk, category.name))
    return choices


class ReportForm(forms.Form):
    """A report, placed by its longitude and latitude (the map fills them, or the
    resident types them) or, without a map, by its commune and a street or landmark."""

    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    commune = forms.ModelChoiceField(
        label=_("Commune"), queryset=Commune.objects.none(), required=False
    )
    place = forms.CharField(
        label=_("Street, number or landmark"),
        max_length=200,
        required=False,
        strip=False,
        help_text=_("For example: 12 rue des Tilleuls, or: in front of the school."),
    )
    category = forms.TypedChoiceField(label=_("Category"), coerce=int)
    description = forms.CharField(
        label=_("Description of the problem"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=Report._meta.get_field("description").max_length,
        strip=False,
    )
    photos = PhotosField(
        label=_("Photos (up to three)"),
        required=False,
        help_text=_("JPEG, PNG or WebP; they are re-encoded without their metadata."),
    )
    visibility = forms.ChoiceField(
        label=_("Who sees it"),
        choices=[
            ("public", _("Everyone: it is shown on the map")),
            ("private", _("Only the services (and you)")),
        ],
        initial="public",
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        help_text=_(
            "A link is sent to it: the report is published once you follow it. Never shown."
        ),
    )
    site_web = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(
        self,
        *args,
        territory_id: int,
        categories: list[Category],
        category: Category | None,
        user,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.categories = {c.pk: c for c in categories}
        self.fields["category"].choices = _leaf_choices(categories)
        self.fields["commune"].queryset = Commune.objects.filter(
            territory_id=territory_id
        ).order_by("name")
        if user.is_authenticated:
            del self.fields["email"]
        else:
            self.fields["email"].required = True
        # The chosen category's questions, each a field of its own (``q-<code>``).
        self.questions = list(category.questions.all()) if category is not None else []
        for question in self.questions:
            self.fields[f"q-{question.code}"] = _question_field(question)

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q-{question.code}"] for question in self.questions]

    def clean(self):
        data = super().clean()
        has_point = data.get("longitude") is not None or data.get("latitude") is not None
        if has_point and (data.get("longitude") is None or data.get("latitude") is None):
            self.add_error(
                "latitude" if data.get("latitude") is None else "longitude",
                _("Give both the longitude and the latitude."),
            )
        elif not has_point and data.get("commune") is None and "commune" not in self.errors:
            self.add_error("commune", _("Place the report on the map, or give its commune."))
        return data

    def point(self) -> Point:
        """Where the report is: the point given, or the commune's own inner point (its
        street or landmark is then written ahead of the description)."""
        data = self.cleaned_data
        if data.get("longitude") is not None:
            point = Point(data["longitude"], data["latitude"], srid=4326)
            return point.transform(settings.SRID, clone=True)
        return data["commune"].geom.point_on_surface

    def description_text(self) -> str:
        data = self.cleaned_data
        if data.get("longitude") is None and data.get("place", "").strip():
            where = _("Place:")
            return f"{where} {data['place'].strip()}\n\n{data['description']}"
        return data["description"]

    def answers(self) -> dict:
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q-{question.code}")
            if value in (None, ""):
                continue
            # JSON has no decimals: a number is kept as the integer or float it is.
            if question.kind == CategoryQuestion.Kind.NUMBER:
                value = int(value) if value == value.to_integral_value() else float(value)
            answers[question.code] = value
        return answers


def _question_field(question: CategoryQuestion) -> forms.Field:
    """The form's field for an extra question (report_submit checks the answers again)."""
    common = {"label": question.label, "required": question.required}
    if question.kind == CategoryQuestion.Kind.CHOICE:
        choices = [("", "—")] + [(item["key"], item["name"]) for item in question.choices]
        return forms.ChoiceField(choices=choices, **common)
    if question.kind == CategoryQuestion.Kind.NUMBER:
        return forms.DecimalField(max_digits=12, decimal_places=3, **common)
    return forms.CharField(max_length=500, strip=False, **common)


class ListFilterForm(forms.Form):
    """The list twin's filters, as GET parameters."""

    categorie = forms.TypedMultipleChoiceField(label=_("Category"), coerce=int, required=False)
    etat = forms.MultipleChoiceField(label=_("State"), required=False)
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args, categories: list[Category], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categorie"].choices = [(c.pk, str(c)) for c in categories]
        self.fields["etat"].choices = [
            (state, label)
            for state, label in Report.State.choices
            if state != Report.State.UNCONFIRMED
        ]


class FixedAnswerForm(forms.Form):
    fixed = forms.TypedChoiceField(
        label=_("Is it fixed?"),
        choices=[("oui", _("Yes, it is fixed")), ("non", _("No, it is not fixed"))],
        coerce=lambda value: value == "oui",
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("A word for the service (optional)"),
        required=False,
        max_length=3000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
