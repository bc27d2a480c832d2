# SPDX-License-Identifier: AGPL-3.0-or-later
"""The editions' services: creation and settings with coherent rules, phases, districts
from the communes, publication, and who may do it. A refusal writes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carto_concertation.budgets.models import District, Edition, EditionPhase, Project
from carto_concertation.budgets.services.editions import (
    district_envelopes_set,
    districts_from_communes,
    edition_create,
    edition_phases_set,
    edition_publish,
    edition_update,
)
from tests.factories import UserFactory
from tests.factories.accounts import user_with_role
from tests.factories.budgets import EditionFactory, ProjectFactory
from tests.factories.territories import TerritoryFactory

from .editions_world import world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def _calendar(start=None):
    start = start or timezone.now() + timedelta(days=1)
    kinds = [kind for kind, _label in EditionPhase.Kind.choices]
    return [
        {
            "kind": kind,
            "starts_at": start + timedelta(days=10 * i),
            "ends_at": None if kind == "realisation" else start + timedelta(days=10 * i + 9),
        }
        for i, kind in enumerate(kinds)
    ]


def test_a_planner_creates_an_unpublished_edition_with_a_unique_slug():
    territory = TerritoryFactory(communes=2)
    planner = user_with_role("planner", territory=territory)
    first = edition_create(
        territory=territory, user=planner, title="Budget vert", year=2027, envelope=50_000
    )
    second = edition_create(
        territory=territory, user=planner, title="Budget vert", year=2027, envelope=50_000
    )
    assert first.slug == "budget-vert-2027" and second.slug == "budget-vert-2027-2"
    assert not first.is_published and first.territory == territory


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"min_choices": 3, "max_choices": 2}, "max_choices"),
        ({"ballot_type": "cumulative"}, "max_points_total"),
        ({"ballot_type": "ordinal", "within_envelope": True}, "within_envelope"),
        ({"envelope": 0}, "envelope"),
        ({"split_by_district": True}, "split_by_district"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_incoherent_rules_are_refused_naming_the_field(fields, field):
    territory = TerritoryFactory(communes=1)
    planner = user_with_role("planner", territory=territory)
    with pytest.raises(ValidationError) as refused:
        edition_create(
            territory=territory, user=planner, **{"title": "B", "envelope": 10, **fields}
        )
    assert field in refused.value.message_dict
    assert not Edition.objects.exists()


def test_a_cumulative_ballot_with_points_is_accepted(world):
    edition = edition_update(
        world.edition, user=world.planner, ballot_type="cumulative", max_points_total=10
    )
    assert edition.ballot_type == "cumulative" and edition.max_points_total == 10


def test_others_than_the_territorys_planners_are_refused(world):
    resident = UserFactory()
    for user in (world.stranger, resident):
        with pytest.raises(PermissionDenied):
            edition_update(world.edition, user=user, title="Pris")
        with pytest.raises(PermissionDenied):
            edition_create(territory=world.edition.territory, user=user, title="X", envelope=1)
    world.edition.refresh_from_db()
    assert world.edition.title != "Pris"


def test_split_by_district_needs_envelopes_summing_to_the_envelope(world):
    edition = world.edition
    districts = list(edition.districts.order_by("pk"))
    with pytest.raises(ValidationError) as refused:
        district_envelopes_set(edition, {districts[0].pk: 10}, user=world.planner)
    assert "envelopes" in refused.value.message_dict
    district_envelopes_set(
        edition, {districts[0].pk: 60_000, districts[1].pk: 40_000}, user=world.planner
    )
    edition = edition_update(edition, user=world.planner, split_by_district=True)
    assert edition.split_by_district
    with pytest.raises(ValidationError) as refused:
        edition_update(edition, user=world.planner, envelope=120_000)
    assert "split_by_district" in refused.value.message_dict
    edition.refresh_from_db()
    assert edition.envelope == 100_000


def test_rules_are_frozen_once_the_vote_has_opened_but_the_title_is_not():
    edition = EditionFactory(phases="vote")
    planner = user_with_role("planner", territory=edition.territory)
    with pytest.raises(ValidationError) as refused:
        edition_update(edition, user=planner, max_choices=3)
    assert "max_choices" in refused.value.message_dict
    assert edition_update(edition, user=planner, title="Nouveau titre").title == "Nouveau titre"


def test_phases_are_the_five_in_order_without_overlap(world):
    calendar = _calendar()
    rows = edition_phases_set(world.edition, calendar, user=world.planner)
    assert [r.kind for r in rows] == [k for k, _l in EditionPhase.Kind.choices]
    overlapping = _calendar()
    overlapping[2]["starts_at"] = overlapping[1]["starts_at"] + timedelta(days=2)
    overlapping[2]["ends_at"] = overlapping[2]["starts_at"] + timedelta(days=3)
    for bad in (calendar[:4], overlapping, [*calendar[:4], calendar[0]]):
        with pytest.raises(ValidationError) as refused:
            edition_phases_set(world.edition, bad, user=world.planner)
        assert "phases" in refused.value.message_dict
    assert world.edition.phases.count() == 5
    assert world.edition.phases.get(kind="vote").starts_at == calendar[2]["starts_at"]


def test_districts_from_the_communes_refile_the_projects(world):
    communes = world.edition.territory.communes.order_by("name")
    # Placed in the last commune: the factory's place depends on how many projects the
    # session made before (its number), and may fall between the communes.
    project = ProjectFactory(
        edition=world.edition,
        district=None,
        status=Project.Status.PROPOSED,
        geom=communes.last().geom.point_on_surface,
    )
    rows = districts_from_communes(world.edition, user=world.planner)
    assert [d.name for d in rows] == [c.name for c in communes]
    assert District.objects.filter(edition=world.edition).count() == 2
    project.refresh_from_db()
    assert project.district is not None and project.district.name == communes.last().name


def test_publication_needs_the_five_phases(world):
    bare = EditionFactory(territory=world.edition.territory, is_published=False)
    with pytest.raises(ValidationError) as refused:
        edition_publish(bare, user=world.planner)
    assert "phases" in refused.value.message_dict
    assert edition_publish(world.edition, user=world.planner).is_published


def test_once_the_vote_opened_only_the_later_phases_move():
    edition = EditionFactory(phases="vote")
    planner = user_with_role("planner", territory=edition.territory)
    now = timezone.now()
    current = {p.kind: p for p in edition.phases.all()}
    calendar = [
        {"kind": k, "starts_at": current[k].starts_at, "ends_at": current[k].ends_at}
        for k in ("submission", "analysis", "vote")
    ]
    calendar[2]["ends_at"] = now + timedelta(days=3)
    calendar += [
        {
            "kind": "results",
            "starts_at": now + timedelta(days=4),
            "ends_at": now + timedelta(days=9),
        },
        {"kind": "realisation", "starts_at": now + timedelta(days=10), "ends_at": None},
    ]
    edition_phases_set(edition, calendar, user=planner)
    assert edition.phases.get(kind="vote").ends_at == calendar[2]["ends_at"]
    moved = [dict(p) for p in calendar]
    moved[2]["starts_at"] = now + timedelta(hours=1)
    with pytest.raises(ValidationError) as refused:
        edition_phases_set(edition, moved, user=planner)
    assert "phases" in refused.value.message_dict
    assert edition.phases.get(kind="vote").starts_at == calendar[2]["starts_at"]
