# SPDX-License-Identifier: AGPL-3.0-or-later
"""Accounts, roles and consents.

Users go through the model (the manager's password hashing, no e-mail address row);
roles through ``role_grant``, which checks each role's scope (a territory, a relay's
communes in it, nothing for an administrator).
"""

import functools

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password

from carto_concertation.accounts.models import (
    ConsentRecord,
    NotificationPreference,
    Role,
    RoleAssignment,
    User,
)
from carto_concertation.accounts.services import role_grant

from .territories import TerritoryFactory

PASSWORD = "correct horse battery"


@functools.cache
def _hashed(raw: str | None) -> str:
    """Each password hashed once per run: hashing costs a third of a second (PBKDF2)
    and the tests make hundreds of users."""
    return make_password(raw)


class UserFactory(factory.django.DjangoModelFactory):
    """A resident who signs in with PASSWORD (``password=`` another, hashed alike)."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    pseudonym = factory.Sequence(lambda n: f"Personne {n}")
    password = factory.django.Password(PASSWORD, transform=_hashed)
    # The current notice accepted (no ConsentRecord row: ConsentRecordFactory for one);
    # ``consent_version=""`` for an account asked to accept it (accounts.consent).
    consent_version = factory.LazyFunction(lambda: settings.CONSENT_VERSION)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    """A moderator of a new territory by default; ``communes`` for a relay."""

    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.MODERATOR
    territory = factory.SubFactory(TerritoryFactory)
    communes = ()

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return role_grant(**kwargs)


class ConsentRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentRecord

    user = factory.SubFactory(UserFactory)
    version = factory.Sequence(lambda n: f"2026-{n:04d}")


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    """A refusal of the ideas module's answers by default (a kind its manifest declares)."""

    class Meta:
        model = NotificationPreference

    user = factory.SubFactory(UserFactory)
    kind = "answer"
    accepted = False


def user_with_role(role: str, territory=None, communes=()) -> User:
    """A new user holding ``role`` on ``territory`` (a relay: in ``communes``)."""
    user = UserFactory()
    role_grant(user=user, role=role, territory=territory, communes=communes)
    return user
