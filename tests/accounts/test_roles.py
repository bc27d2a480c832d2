# SPDX-License-Identifier: AGPL-3.0-or-later
"""Roles and their scopes: relays on communes, moderators and planners on a territory."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from carto_concertation.accounts.models import Role, RoleAssignment, User
from carto_concertation.accounts.selectors import communes_for_relay, user_roles
from carto_concertation.accounts.services import role_grant, user_create
from tests.factories import CommuneFactory, TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_territories():
    first, second = TerritoryFactory(), TerritoryFactory()
    return {
        "first": first,
        "second": second,
        "a": CommuneFactory(territory=first),
        "b": CommuneFactory(territory=first),
        "c": CommuneFactory(territory=second),
    }


def test_relay_acts_only_in_their_communes(two_territories):
    t = two_territories
    relay = UserFactory()
    role_grant(user=relay, role=Role.RELAY, territory=t["first"], communes=[t["a"]])

    assert relay.has_perm("territories.relay", t["a"])
    assert not relay.has_perm("territories.relay", t["b"])
    assert not relay.has_perm("territories.relay", t["c"])
    assert not relay.has_perm("territories.moderate", t["first"])
    assert list(communes_for_relay(user=relay)) == [t["a"]]


@pytest.mark.parametrize(
    ("role", "perm"), [(Role.MODERATOR, "territories.moderate"), (Role.PLANNER, "territories.plan")]
)
def test_moderator_and_planner_act_on_their_territory_and_its_communes(two_territories, role, perm):
    t = two_territories
    user = UserFactory()
    role_grant(user=user, role=role, territory=t["first"])

    assert user.has_perm(perm, t["first"])
    assert user.has_perm(perm, t["a"])
    assert not user.has_perm(perm, t["second"])
    assert not user.has_perm(perm, t["c"])
    assert not user.has_perm("territories.administer")


def test_administrator_acts_everywhere(two_territories):
    t = two_territories
    admin = UserFactory()
    role_grant(user=admin, role=Role.ADMINISTRATOR)
    for perm, obj in [
        ("territories.moderate", t["second"]),
        ("territories.plan", t["c"]),
        ("territories.relay", t["c"]),
    ]:
        assert admin.has_perm(perm, obj)
    assert admin.has_perm("territories.administer")


def test_a_resident_has_no_scope_and_an_inactive_user_loses_theirs(two_territories):
    t = two_territories
    resident = UserFactory()
    assert user_roles(user=resident) == {Role.RESIDENT}
    assert not resident.has_perm("territories.moderate", t["first"])

    moderator = UserFactory()
    role_grant(user=moderator, role=Role.MODERATOR, territory=t["first"])
    assert user_roles(user=moderator) == {Role.RESIDENT, Role.MODERATOR}
    moderator.is_active = False
    moderator.save()
    assert not User.objects.get(pk=moderator.pk).has_perm("territories.moderate", t["first"])


@pytest.mark.parametrize(
    ("role", "scope", "field"),
    [
        (Role.RESIDENT, {}, "role"),
        (Role.MODERATOR, {}, "territory"),
        (Role.RELAY, {"territory": "first"}, "communes"),
        (Role.RELAY, {"territory": "first", "communes": ["c"]}, "communes"),
        (Role.PLANNER, {"territory": "first", "communes": ["a"]}, "communes"),
        (Role.ADMINISTRATOR, {"territory": "first"}, "territory"),
    ],
)
def test_a_scope_that_does_not_fit_the_role_is_refused(two_territories, role, scope, field):
    t = two_territories
    user = UserFactory()
    kwargs = {}
    if "territory" in scope:
        kwargs["territory"] = t[scope["territory"]]
    if "communes" in scope:
        kwargs["communes"] = [t[key] for key in scope["communes"]]
    with pytest.raises(ValidationError) as refused:
        role_grant(user=user, role=role, **kwargs)
    assert field in refused.value.message_dict
    assert RoleAssignment.objects.count() == 0


def test_the_database_refuses_an_administrator_bound_to_a_territory(two_territories):
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(
            user=UserFactory(), role=Role.ADMINISTRATOR, territory=two_territories["first"]
        )


def test_granting_twice_keeps_one_assignment_and_widens_a_relay(two_territories):
    t = two_territories
    relay = UserFactory()
    role_grant(user=relay, role=Role.RELAY, territory=t["first"], communes=[t["a"]])
    role_grant(user=relay, role=Role.RELAY, territory=t["first"], communes=[t["b"]])
    assert RoleAssignment.objects.filter(user=relay).count() == 1
    assert set(communes_for_relay(user=relay)) == {t["a"], t["b"]}


def test_users_sign_in_by_email_with_a_unique_pseudonym():
    user = user_create(
        email="Claire@Example.org", pseudonym="Claire", password="un mot de passe long"
    )
    assert User.USERNAME_FIELD == "email"
    assert user.check_password("un mot de passe long")
    with pytest.raises(ValidationError) as taken:
        user_create(email="claire@example.org", pseudonym="Autre")
    assert "email" in taken.value.message_dict
    with pytest.raises(ValidationError) as taken:
        user_create(email="autre@example.org", pseudonym="claire")
    assert "pseudonym" in taken.value.message_dict
    assert not user_create(email="sans@example.org", pseudonym="Sans").has_usable_password()
