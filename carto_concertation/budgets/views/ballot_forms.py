# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ballot pages' forms: the ballot (one field per project on it: a box to tick, points
or a rank, as the edition votes), a paper sheet as an agent types it, and the page
module's configuration (the projects as GeoJSON, the envelope, the limits, the words)."""

import json
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from carto_concertation.core.wgs84 import wgs84

from ..models import Ballot, Edition, Project

Kind = Edition.BallotType


def _field_name(edition: Edition, project: Project) -> str:
    prefix = {Kind.APPROVAL: "project", Kind.CUMULATIVE: "points", Kind.ORDINAL: "rank"}
    return f"{prefix[edition.ballot_type]}-{project.number}"


def _asks_district(edition: Edition) -> bool:
    return edition.address_in_district_required or edition.split_by_district


class VoteForm(forms.Form):
    resident = forms.BooleanField(required=False)

    def __init__(
        self, data=None, *, edition: Edition, projects: list[Project], ballot: Ballot | None
    ) -> None:
        chosen = {c.project_id: c for c in ballot.choices.all()} if ballot else {}
        super().__init__(data, initial={"resident": ballot is not None})
        self.edition, self.projects = edition, projects
        self.fields["resident"].label = _("I live in the territory of %(territory)s") % {
            "territory": edition.territory.name
        }
        if edition.minimum_age:
            self.fields["of_age"] = forms.BooleanField(
                required=False,
                label=_("I am at least %(age)s years old") % {"age": edition.minimum_age},
                initial=ballot is not None,
            )
        if _asks_district(edition):
            self.fields["district"] = forms.ModelChoiceField(
                queryset=edition.districts.order_by("name"),
                required=False,
                label=_("The district of my address"),
                empty_label=_("Choose"),
                initial=ballot.district_id if ballot else None,
            )
        for project in projects:
            choice = chosen.get(project.pk)
            name = _field_name(edition, project)
            if edition.ballot_type == Kind.APPROVAL:
                field = forms.BooleanField(required=False, initial=choice is not None)
            elif edition.ballot_type == Kind.CUMULATIVE:
                field = forms.IntegerField(
                    required=False,
                    min_value=0,
                    max_value=edition.max_points_per_project or 10_000,
                    initial=choice.points if choice else None,
                )
            else:
                field = forms.IntegerField(
                    required=False,
                    min_value=1,
                    max_value=max(len(projects), 1),
                    initial=choice.rank if choice else None,
                )
            field.label = project.title
            self.fields[name] = field

    def rows(self) -> list[tuple[Project, forms.BoundField]]:
        return [(p, self[_field_name(self.edition, p)]) for p in self.projects]

    def choices(self) -> list[dict]:
        """The ballot's choices as the services take them."""
        picked = []
        for project in self.projects:
            value = self.cleaned_data.get(_field_name(self.edition, project))
            if not value:
                continue
            if self.edition.ballot_type == Kind.APPROVAL:
                picked.append({"project": project.number})
            elif self.edition.ballot_type == Kind.CUMULATIVE:
                picked.append({"project": project.number, "points": value})
            else:
                picked.append({"project": project.number, "rank": value})
        return picked


_TOKENS = re.compile(r"[\s,;]+")


class PaperForm(forms.Form):
    """A sheet: its station and number, its district, its choices as typed."""

    station = forms.CharField(label=gettext_lazy("Polling station"), max_length=120)
    sheet = forms.CharField(label=gettext_lazy("Sheet number"), max_length=40)
    choices = forms.CharField(
        label=gettext_lazy("Choices"),
        max_length=2000,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, data=None, *, edition: Edition, resolving: bool = False) -> None:
        super().__init__(data)
        self.edition = edition
        if resolving:
            del self.fields["station"], self.fields["sheet"]
        self.fields["choices"].help_text = {
            Kind.APPROVAL: _("The numbers of the ticked projects, e.g. 3, 5, 8."),
            Kind.CUMULATIVE: _("Number:points of each project given points, e.g. 3:2, 5:1."),
            Kind.ORDINAL: _("The project numbers in the order of the ranks, e.g. 5, 3, 8."),
        }[edition.ballot_type]
        if edition.districts.exists():
            self.fields["district"] = forms.ModelChoiceField(
                queryset=edition.districts.order_by("name"),
                required=edition.split_by_district,
                label=pgettext("budget ballot", "District"),
                empty_label=pgettext("budget ballot", "None"),
            )

    def clean_choices(self) -> list[dict]:
        tokens = [t for t in _TOKENS.split(self.cleaned_data["choices"]) if t]
        picked = []
        for index, token in enumerate(tokens, start=1):
            number, _sep, points = token.partition(":")
            if not number.isdigit() or (points and not points.isdigit()):
                raise ValidationError(_("“%(token)s” is not a project number.") % {"token": token})
            if points and self.edition.ballot_type != Kind.CUMULATIVE:
                raise ValidationError(_("Points are given on cumulative ballots only."))
            choice = {"project": int(number)}
            if self.edition.ballot_type == Kind.CUMULATIVE:
                choice["points"] = int(points or 1)
            elif self.edition.ballot_type == Kind.ORDINAL:
                choice["rank"] = index
            picked.append(choice)
        return picked


def errors_onto(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError under the form's field it names, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _lonlat(project: Project) -> list[float] | None:
    if project.geom is None:
        return None
    point = wgs84(project.geom.point_on_surface)
    return [round(point.x, 6), round(point.y, 6)]


def _outline(district) -> dict:
    # Simplified (about 50 m): the outline only tells the voter where the district is.
    return json.loads(wgs84(district.geom).simplify(0.0005).geojson)


def ballot_config(edition: Edition, projects: list[Project]) -> dict:
    """What the page's module needs: the projects (as GeoJSON), the rules, the words."""
    districts = list(edition.districts.all())
    return {
        "type": edition.ballot_type,
        "envelope": edition.envelope,
        "withinEnvelope": edition.within_envelope,
        "splitByDistrict": edition.split_by_district,
        "districtEnvelopes": {str(d.pk): d.envelope for d in districts if d.envelope},
        "maxChoices": edition.max_choices,
        "maxPointsPerProject": edition.max_points_per_project,
        "maxPointsTotal": edition.max_points_total,
        "districts": {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": d.pk,
                    "properties": {"name": d.name},
                    "geometry": _outline(d),
                }
                for d in districts
            ],
        },
        "projects": [
            {
                "number": p.number,
                "title": p.title,
                "cost": p.cost,
                "district": p.district_id,
                "lonlat": _lonlat(p),
                "field": _field_name(edition, p),
            }
            for p in projects
        ],
        "strings": {
            "mapLabel": _("Map of the projects on the ballot"),
            "envelopeLeft": _("Envelope left: %(amount)s €"),
            "pointsLeft": _("Points left: %(points)s"),
            "chosen": _("%(n)s project(s) chosen"),
            "add": _("Add “%(title)s” (%(cost)s €)"),
            "remove": _("Remove “%(title)s”"),
            "overEnvelope": _("Over the envelope by %(amount)s €"),
        },
    }
