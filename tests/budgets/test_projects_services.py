# SPDX-License-Identifier: AGPL-3.0-or-later
"""Submitting a project and supporting it (services/projects.py): the lifecycle and every
refusal, nothing written when refused."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from carto_concertation.budgets.models import Project, ProjectPhoto, ProjectSupporter
from carto_concertation.budgets.services.projects import (
    project_submit,
    project_support,
    project_support_withdraw,
)
from tests.factories.budgets import EditionFactory, ProjectFactory

from .projects_world import OUTSIDE, area_in, inside, not_a_photo, photo, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def submit(world, **overrides) -> Project:
    values = {
        "edition": world.edition,
        "user": world.resident,
        "title": "Un jardin partagé",
        "description": "Des bacs et un composteur près de l'école.",
        "estimated_cost": 15_000,
        "geom": inside(world.second),
        **overrides,
    }
    return project_submit(**values)


def refusal(world, **overrides) -> dict:
    with pytest.raises(ValidationError) as caught:
        submit(world, **overrides)
    assert not Project.objects.exists()
    return caught.value.message_dict


def test_a_resident_proposes_a_project_numbered_in_its_district_with_its_photos(world):
    project = submit(world, photos=[photo(), photo("b.png")], association="Les Amis du square")

    assert project.number == 1
    assert project.status == Project.Status.PROPOSED
    assert project.district == world.second
    assert project.submitter == world.resident
    assert project.association == "Les Amis du square"
    assert project.geom.srid == 2154
    assert world.second.geom.covers(project.geom)
    assert ProjectPhoto.objects.filter(project=project).count() == 2
    assert submit(world, title="Des bancs").number == 2


def test_an_area_takes_the_district_of_its_point_on_surface(world):
    project = submit(world, geom=area_in(world.first))
    assert project.geom.geom_type == "Polygon"
    assert project.district == world.first


def test_the_numbers_continue_after_the_existing_projects(world):
    ProjectFactory(edition=world.edition, number=7)
    assert submit(world).number == 8


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("geom", {"geom": OUTSIDE}),
        ("geom", {"geom": None}),
        ("title", {"title": "   "}),
        ("description", {"description": ""}),
        ("title", {"title": "x" * 201}),
        ("estimated_cost", {"estimated_cost": 0}),
        ("estimated_cost", {"estimated_cost": -5}),
        ("estimated_cost", {"estimated_cost": "beaucoup"}),
        ("estimated_cost", {"estimated_cost": 100_001}),
        ("description", {"description": "nul \x00 byte"}),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_written(world, field, overrides):
    assert field in refusal(world, **overrides)


def test_a_bad_photo_or_too_many_are_refused(world):
    assert "photos" in refusal(world, photos=[not_a_photo()])
    assert "photos" in refusal(world, photos=[photo() for _ in range(4)])


def test_a_project_is_refused_outside_the_submission_phase(db):
    voting = EditionFactory(districts=2, phases="vote")
    district = voting.districts.first()
    with pytest.raises(ValidationError) as caught:
        project_submit(
            edition=voting,
            user=_user(),
            title="Trop tard",
            description="Après la date.",
            estimated_cost=1000,
            geom=inside(district),
        )
    assert "edition" in caught.value.message_dict
    assert not Project.objects.exists()


def _user():
    from tests.factories import UserFactory

    return UserFactory()


def test_an_anonymous_person_cannot_propose(world):
    from django.contrib.auth.models import AnonymousUser

    assert "user" in refusal(world, user=AnonymousUser())


def test_the_cost_is_bounded_by_the_district_envelope_when_split(db):
    edition = EditionFactory(districts=2, phases="submission", split_by_district=True)
    district = edition.districts.first()
    with pytest.raises(ValidationError) as caught:
        project_submit(
            edition=edition,
            user=_user(),
            title="Trop cher",
            description="Plus que la moitié.",
            estimated_cost=60_000,
            geom=inside(district),
        )
    assert "estimated_cost" in caught.value.message_dict


def test_residents_support_once_and_withdraw(world):
    project = submit(world)
    project_support(project=project, user=world.other)
    with pytest.raises(ValidationError) as twice:
        project_support(project=project, user=world.other)
    assert "project" in twice.value.message_dict
    assert ProjectSupporter.objects.filter(project=project).count() == 1

    project_support_withdraw(project=project, user=world.other)
    assert not ProjectSupporter.objects.exists()
    with pytest.raises(ValidationError):
        project_support_withdraw(project=project, user=world.other)


def test_a_project_on_the_ballot_or_out_of_the_race_takes_no_support(world):
    for status in (Project.Status.ON_BALLOT, Project.Status.NOT_ADMISSIBLE, Project.Status.WINNER):
        project = ProjectFactory(edition=world.edition, status=status)
        with pytest.raises(ValidationError):
            project_support(project=project, user=world.other)
    assert not ProjectSupporter.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_take_two_numbers(world):
    errors: list[BaseException] = []

    def run(title: str) -> None:
        try:
            submit(world, title=title)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f"Projet {n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Project.objects.values_list("number", flat=True)) == [1, 2, 3]
