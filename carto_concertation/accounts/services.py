# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes on users and roles, one transaction each."""

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from carto_concertation.core.audit import audit_actor_forget, audit_record
from carto_concertation.core.modules import modules
from carto_concertation.territories.models import Commune, Territory

from . import secrets_at_rest
from .archives import archives_erase
from .audit import RESIDENT_ACTIONS
from .models import (
    TERRITORY_ROLES,
    ConsentRecord,
    NotificationPreference,
    Role,
    RoleAssignment,
    User,
)
from .selectors import notification_kind_map
from .validators import pseudonym_clean


def validate_role_scope(
    *, role: str, territory: Territory | None, communes: Iterable[Commune]
) -> None:
    """The scope a role carries: none for an administrator, a territory for the others,
    and for a relay at least one commune, all inside that territory."""
    communes = list(communes)
    if role == Role.RESIDENT:
        raise ValidationError({"role": _("Every user is a resident; this role is not granted.")})
    if role == Role.ADMINISTRATOR:
        if territory is not None or communes:
            raise ValidationError(
                {
                    "territory": _(
                        "An administrator acts on the whole platform: leave the territory empty."
                    )
                }
            )
        return
    if role not in TERRITORY_ROLES:
        raise ValidationError({"role": _("Unknown role %(role)s.") % {"role": role}})
    if territory is None:
        raise ValidationError({"territory": _("This role is scoped to a territory: choose one.")})
    if role == Role.RELAY:
        if not communes:
            raise ValidationError({"communes": _("A relay needs at least one commune.")})
        outside = [c.insee for c in communes if c.territory_id != territory.pk]
        if outside:
            raise ValidationError(
                {
                    "communes": _("Communes outside %(territory)s: %(insee)s.")
                    % {"territory": territory.name, "insee": ", ".join(outside)}
                }
            )
    elif communes:
        raise ValidationError({"communes": _("Only a relay is scoped to communes.")})


@transaction.atomic
def role_grant(
    *,
    user: User,
    role: str,
    territory: Territory | None = None,
    communes: Iterable[Commune] = (),
) -> RoleAssignment:
    """Give a user a role in its scope; granting it again widens a relay's communes."""
    communes = list(communes)
    validate_role_scope(role=role, territory=territory, communes=communes)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, territory=territory
    )
    if communes:
        assignment.communes.add(*communes)
    if created:
        role_given_record(assignment)
    return assignment


def role_given_record(assignment: RoleAssignment, *, changed: bool = False) -> None:
    """In the audit journal: a role given (or its scope changed), to whom, where."""
    audit_record(
        "accounts.role_granted",
        assignment.user,
        territory=assignment.territory_id,
        role_given=assignment.role,
        **({"changed": True} if changed else {}),
    )


def role_withdrawn_record(*, user_id: int, role: str, territory_id: int | None) -> None:
    """In the audit journal: a role withdrawn (the assignment's row is gone)."""
    audit_record(
        "accounts.role_withdrawn",
        (User._meta.label_lower, user_id),
        territory=territory_id,
        role_withdrawn=role,
    )


def staff_status_record(*, user: User, is_staff: bool, is_superuser: bool) -> None:
    """In the audit journal: an account made staff or superuser, or no longer."""
    audit_record(
        "accounts.staff_status_changed", user, is_staff=is_staff, is_superuser=is_superuser
    )


def _pseudonym_available(pseudonym: str, *, exclude: User | None = None) -> str:
    """The cleaned pseudonym, if nobody else has it (whatever the case)."""
    try:
        pseudonym = pseudonym_clean(pseudonym)
    except ValidationError as error:
        raise ValidationError({"pseudonym": error.messages}) from error
    taken = User.objects.filter(pseudonym__iexact=pseudonym)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ValidationError({"pseudonym": _("This pseudonym is already taken.")})
    return pseudonym


def _save_unique(user: User, **kwargs) -> None:
    """Save, turning a pseudonym taken at the same instant into a field error."""
    try:
        with transaction.atomic():
            user.save(**kwargs)
    except IntegrityError as error:
        if "pseudonym" in str(error):
            raise ValidationError({"pseudonym": _("This pseudonym is already taken.")}) from error
        raise ValidationError({"email": _("An account already uses this e-mail address.")}) from (
            error
        )


@transaction.atomic
def user_create(
    *,
    email: str,
    pseudonym: str,
    password: str | None = None,
    is_superuser: bool = False,
    consent_version: str = "",
) -> User:
    """A new account made by an administrator (admin, demo, commands): the administrator
    vouches for the address, recorded as verified. Without a password it cannot sign in
    until one is set. Residents sign up themselves (user_signup). Without
    ``consent_version`` (the demo's people have one), the person accepts the notice at
    their first visit (consent.ConsentMiddleware)."""
    email = User.objects.normalize_email(email).strip()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account already uses this e-mail address.")})
    pseudonym = _pseudonym_available(pseudonym)
    manager = User.objects
    create = manager.create_superuser if is_superuser else manager.create_user
    user = create(email=email, pseudonym=pseudonym, password=password)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    if consent_version:
        consent_record(user=user, version=consent_version)
    return user


@transaction.atomic
def user_signup(
    *, user: User, email: str, pseudonym: str, password: str, consent_version: str
) -> User:
    """Save a new resident's account (unverified address: allauth sends the link) with
    the charter and privacy notice version they accepted."""
    if not consent_version:
        raise ValidationError(
            {"consent": _("Accept the participation charter and the privacy notice.")}
        )
    user.email = User.objects.normalize_email(email).strip()
    user.pseudonym = _pseudonym_available(pseudonym)
    user.set_password(password)
    _save_unique(user)
    consent_record(user=user, version=consent_version)
    return user


@transaction.atomic
def consent_record(*, user: User, version: str) -> ConsentRecord:
    """Record that ``user`` accepted ``version`` now (once per version), and that it is
    the version they last accepted."""
    consent, _created = ConsentRecord.objects.get_or_create(user=user, version=version)
    User.objects.filter(pk=user.pk).update(consent_version=version)
    user.consent_version = version
    return consent


@transaction.atomic
def user_profile_update(
    *, user: User, pseudonym: str | None = None, notifications: dict[str, bool] | None = None
) -> User:
    """Change one's pseudonym and the kinds of e-mail one accepts (``{kind: bool}``).

    Each kind given becomes the person's choice (one row per person and kind, written
    whether it says yes or no, so that a later change of the kind's default leaves it)."""
    notifications = notifications or {}
    unknown = sorted(set(notifications) - set(notification_kind_map()))
    if unknown:
        raise ValidationError(
            {
                "notifications": [
                    _("Unknown kind of notification: %(kind)s.") % {"kind": kind}
                    for kind in unknown
                ]
            }
        )
    if pseudonym is not None:
        user.pseudonym = _pseudonym_available(pseudonym, exclude=user)
        _save_unique(user, update_fields=["pseudonym"])
    # One statement, ON CONFLICT DO UPDATE: two saves at the same instant cannot collide.
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(user=user, kind=kind, accepted=bool(accepted))
            for kind, accepted in notifications.items()
        ],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["accepted"],
    )
    return user


@transaction.atomic
def notifications_unsubscribe(*, user_id: int, kind: str) -> User | None:
    """Stop the e-mails of one kind (the unsubscribe link); None when the account is gone."""
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        return None
    return user_profile_update(user=user, notifications={kind: False})


@transaction.atomic
def user_delete(*, user: User, password: str) -> None:
    """Delete one's own account, after typing one's password again (account_erase).
    Administration accounts are closed by another administrator, so that the admin
    history stays whole."""
    if not user.check_password(password or ""):
        raise ValidationError({"password": _("This is not your password.")})
    if user.is_staff or user.is_superuser:
        raise ValidationError(
            _("An administration account is closed by another administrator, not here.")
        )
    account_erase(user=user)


@transaction.atomic
def account_erase(*, user: User) -> None:
    """Erase an account: by its owner (user_delete) or by the retention job.

    The row goes, and with it the e-mail addresses, the pseudonym, the consents, the
    e-mail choices, the roles and the archives of "download my data" (their files once
    committed). What each participation module does to its rows is its
    own: first the callables it declares (``on_account_deletion``), in this transaction,
    then what its foreign keys say. The ideas and workshops modules declare none: their
    keys to the person are SET_NULL, so what the person published stays public without a
    link to them (contributions and comments show "Anonymous participant", votes stay
    counted).
    """
    for manifest in modules():
        for forget in manifest.on_account_deletion:
            forget(user)
    audit_actor_forget(user, actions=RESIDENT_ACTIONS)
    archives_erase(user=user)
    try:
        User.objects.filter(pk=user.pk).delete()
    except (ProtectedError, RestrictedError) as error:
        raise ValidationError(
            _(
                "This account is still needed by records that cannot lose their author: "
                "ask an administrator to close it."
            )
        ) from error


@transaction.atomic
def authenticators_remove(*, user: User, by: User) -> int:
    """An administrator removes the authenticator app and recovery codes of a person who
    lost them: that person's next sign-in asks the password only, and a staff member is
    then sent to set up a new app (accounts.middleware). Not one's own: one's own app is
    turned off from one's account page. The number of authenticators removed."""
    if user.pk == by.pk:
        raise ValidationError(
            {"user": _("Your own authenticator app is managed from your account page.")}
        )
    removed, _by_model = Authenticator.objects.filter(user=user).delete()
    audit_record("accounts.second_factor_removed", user, actor=by, removed=removed)
    return removed


@transaction.atomic
def mfa_secrets_rotate() -> int:
    """Every authenticator's secrets encrypted again with the first key of
    MFA_ENCRYPTION_KEYS (and those still in clear encrypted): the step of a key rotation
    before the old key is removed. Returns how many authenticators were written."""
    written = 0
    for authenticator in Authenticator.objects.select_for_update().order_by("pk"):
        data = secrets_at_rest.data_rotated(authenticator.data)
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])
            written += 1
    return written
