# SPDX-License-Identifier: AGPL-3.0-or-later
"""Submitting, changing, accepting and refusing a project through the services: each
bad input refused naming its field with nothing written, and who may do what."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.crowdfunding.models import Project, ProjectPhoto
from carto_concertation.crowdfunding.services.projects import (
    project_accept,
    project_edit,
    project_refuse,
    project_submit,
)
from carto_concertation.territories.services import territory_modules_switch
from tests.factories import CrowdfundingProjectFactory, UserFactory
from tests.factories.accounts import user_with_role

from .submission_world import (  # noqa: F401
    OUTSIDE,
    inside,
    not_a_photo,
    photo,
    project_data,
    wgs84,
    world_fixture,
)

pytestmark = pytest.mark.django_db


def submitted(world, **changes) -> Project:
    return project_submit(
        user=world.porteur, territory=world.territory, data=project_data(world, **changes)
    )


def test_a_submission_is_kept_as_typed_in_its_commune_with_its_photos(world, media_root):
    project = project_submit(
        user=world.porteur,
        territory=world.territory,
        data=project_data(world, title="  <script>alert('x')</script> & \"l’école\"  "),
        photos=[photo(), photo("b.png")],
    )
    project.refresh_from_db()
    assert project.title == "<script>alert('x')</script> & \"l’école\""
    assert project.status == Project.Status.SUBMITTED
    assert project.submitter == world.porteur
    assert project.commune == world.second
    assert project.interest_rate == Decimal("1.80") and project.loan_months == 60
    assert project.slug == "scriptalertxscript-lecole"
    assert project.photos.count() == 2
    assert all(default_storage.exists(p.image.name) for p in project.photos.all())


def test_an_area_lies_in_the_commune_of_its_point_on_surface(world):
    area = wgs84(inside(world.first, 3).transform(2154, clone=True).buffer(60, quadsegs=2))
    project = submitted(world, geom=area)
    assert project.commune == world.first and project.geom.geom_type == "Polygon"


def test_an_altitude_given_with_the_place_is_left_out(world):
    place = inside(world.first)
    project = submitted(world, geom=Point(place.x, place.y, 212.0, srid=4326))
    project.refresh_from_db()
    assert not project.geom.hasz and project.commune == world.first


def test_the_same_title_gets_the_next_free_slug(world):
    slugs = [submitted(world, title="Le verger").slug for _ in range(3)]
    assert slugs == ["le-verger", "le-verger-2", "le-verger-3"]


BAD_INPUTS = [
    ({"geom": OUTSIDE}, "geom"),
    ({"goal": 0}, "goal"),
    ({"goal": -500}, "goal"),
    ({"goal": "beaucoup"}, "goal"),
    ({"campaign_ends_on": "START-1"}, "campaign_ends_on"),
    ({"campaign_url": "http://www.collecticity.fr/x"}, "campaign_url"),
    ({"campaign_url": "ftp://www.collecticity.fr/x"}, "campaign_url"),
    ({"campaign_url": "javascript:alert(1)"}, "campaign_url"),
    ({"interest_rate": None}, "interest_rate"),
    ({"loan_months": None}, "loan_months"),
    ({"modality": "donation", "loan_months": None}, "interest_rate"),
    ({"modality": "loan", "interest_rate": "1.5"}, "interest_rate"),
    ({"total_budget": 10_000}, "total_budget"),
    ({"interest_rate": "-1"}, "interest_rate"),
    ({"title": "   "}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"description": "nul\x00"}, "description"),
    ({"theme": "war"}, "theme"),
    ({"platform": "other"}, "platform_name"),
    ({"campaign_ends_on": "PAST"}, "campaign_ends_on"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_INPUTS)
def test_each_bad_input_is_refused_naming_its_field_and_writes_nothing(world, changes, field):
    data = project_data(world)
    for name, value in changes.items():
        if value == "START-1":
            value = data["campaign_starts_on"] - timedelta(days=1)
        elif value == "PAST":
            value = timezone.localdate() - timedelta(days=1)
            data["campaign_starts_on"] = value - timedelta(days=30)
        data[name] = value
    with pytest.raises(ValidationError) as refused:
        project_submit(user=world.porteur, territory=world.territory, data=data, photos=[photo()])
    assert field in refused.value.message_dict
    assert not Project.objects.exists() and not ProjectPhoto.objects.exists()


def test_a_missing_field_and_a_bad_photo_are_named(world):
    data = project_data(world)
    del data["campaign_url"]
    with pytest.raises(ValidationError) as refused:
        project_submit(
            user=world.porteur, territory=world.territory, data=data, photos=[not_a_photo()]
        )
    assert {"campaign_url", "photos"} <= set(refused.value.message_dict)
    assert not Project.objects.exists()


def test_a_porteur_gives_no_support_field_and_an_anonymous_person_submits_nothing(world):
    with pytest.raises(PermissionDenied):
        project_submit(
            user=world.porteur,
            territory=world.territory,
            data=project_data(world, supported=True),
        )
    anonymous = UserFactory.build(is_active=False)
    with pytest.raises(PermissionDenied):
        project_submit(user=anonymous, territory=world.territory, data=project_data(world))
    assert not Project.objects.exists()


def test_no_submission_where_the_portal_is_switched_off(world):
    territory_modules_switch(territory=world.territory, modules_off=["crowdfunding"])
    world.territory.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        submitted(world)
    assert "territory" in refused.value.message_dict
    assert not Project.objects.exists()


def test_accepting_puts_the_campaign_to_come_or_under_way(world):
    later = submitted(world)
    accepted = project_accept(user=world.planner, project=later)
    assert accepted.status == Project.Status.ACCEPTED
    assert accepted.decided_by == world.planner and accepted.decided_at is not None
    today = timezone.localdate()
    started = submitted(world, campaign_starts_on=today, title="Autre")
    assert project_accept(user=world.planner, project=started).status == Project.Status.CAMPAIGN


def test_refusing_keeps_the_public_reason_and_a_second_decision_is_refused(world):
    project = submitted(world)
    with pytest.raises(ValidationError) as empty:
        project_refuse(user=world.planner, project=project, reason="   ")
    assert "reason" in empty.value.message_dict
    project.refresh_from_db()
    assert project.status == Project.Status.SUBMITTED
    reason = "Hors du territoire <b>communal</b> & « sans lien »"
    project_refuse(user=world.planner, project=project, reason=reason)
    project.refresh_from_db()
    assert (project.status, project.refusal_reason) == (Project.Status.REFUSED, reason)
    with pytest.raises(ValidationError) as again:
        project_accept(user=world.planner, project=project)
    assert "status" in again.value.message_dict
    project.refresh_from_db()
    assert project.status == Project.Status.REFUSED


@pytest.mark.parametrize("who", ["porteur", "other", "foreign_planner"])
def test_only_the_territorys_agents_decide(world, who):
    project = submitted(world)
    for decide in (
        lambda user: project_accept(user=user, project=project),
        lambda user: project_refuse(user=user, project=project, reason="Non"),
    ):
        with pytest.raises(PermissionDenied):
            decide(getattr(world, who))
    project.refresh_from_db()
    assert project.status == Project.Status.SUBMITTED and project.decided_at is None


def test_the_porteur_edits_while_it_waits_and_the_agents_until_the_campaign(world):
    project = submitted(world)
    edited = project_edit(
        user=world.porteur,
        project=project,
        data={"title": "Nouveau titre", "geom": inside(world.first)},
    )
    assert edited.title == "Nouveau titre" and edited.commune == world.first
    assert edited.slug == project.slug  # links already given keep working
    with pytest.raises(PermissionDenied):
        project_edit(user=world.porteur, project=edited, data={"supported": True})
    accepted = project_accept(user=world.planner, project=edited)
    with pytest.raises(ValidationError) as late:
        project_edit(user=world.porteur, project=accepted, data={"title": "Encore"})
    assert "status" in late.value.message_dict
    supported = project_edit(
        user=world.planner,
        project=accepted,
        data={"supported": True, "cofunding": 5_000, "public_meeting_place": "Salle des fêtes"},
    )
    supported.refresh_from_db()
    assert supported.supported and supported.cofunding == 5_000
    assert supported.title == "Nouveau titre"
    in_campaign = CrowdfundingProjectFactory(territory=world.territory)
    with pytest.raises(ValidationError):
        project_edit(user=world.planner, project=in_campaign, data={"supported": True})


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"goal": 0}, "goal"),
        ({"geom": OUTSIDE}, "geom"),
        ({"campaign_url": "http://example.org/"}, "campaign_url"),
        ({"modality": "donation"}, "interest_rate"),
        ({"goal": 100_000}, "total_budget"),
        ({"campaign_ends_on": "START-1"}, "campaign_ends_on"),
        ({"cofunding": -1}, "cofunding"),
    ],
)
def test_an_edit_is_checked_on_the_project_as_it_would_be(world, changes, field):
    project = submitted(world)
    data = {
        name: project.campaign_starts_on - timedelta(days=1) if value == "START-1" else value
        for name, value in changes.items()
    }
    with pytest.raises(ValidationError) as refused:
        project_edit(user=world.planner, project=project, data=data)
    assert field in refused.value.message_dict
    project.refresh_from_db()
    assert (project.goal, project.modality, project.cofunding) == (20_000, "loan_interest", None)


def test_another_porteur_and_another_territorys_planner_change_nothing(world):
    project = submitted(world)
    for user in (world.other, world.foreign_planner):
        with pytest.raises(PermissionDenied):
            project_edit(user=user, project=project, data={"title": "Pris"})
    project.refresh_from_db()
    assert project.title == "Toiture solaire de l’école"


def test_an_administrator_decides_anywhere(world):
    administrator = user_with_role(Role.ADMINISTRATOR)
    project = submitted(world)
    assert project_accept(user=administrator, project=project).status == Project.Status.ACCEPTED
