# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, pseudonym: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), pseudonym=pseudonym, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, pseudonym: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, pseudonym, password, **extra)

    def create_superuser(self, email: str, pseudonym: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, pseudonym, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person signed in by e-mail, shown to others only by a pseudonym.

    Every user is a resident; the other roles come from RoleAssignment.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    pseudonym = models.CharField(
        _("pseudonym"),
        max_length=40,
        unique=True,
        help_text=_("The only name shown in public."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # When the retention job warned that the account, unused for RETENTION_INACTIVE_YEARS,
    # would be erased (accounts.retention); signing in again clears it.
    inactivity_warned_at = models.DateTimeField(
        _("warned of inactivity at"), null=True, blank=True, editable=False
    )

    # The version of the charter and privacy notice last accepted (its history, with the
    # dates, is ConsentRecord): read on every signed-in request to ask for the current
    # one (middleware.ConsentMiddleware), so kept on the row the session already loads.
    consent_version = models.CharField(
        _("version of the notice accepted"), max_length=20, blank=True, editable=False
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["pseudonym"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.UniqueConstraint(Lower("pseudonym"), name="user_pseudonym_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class Role(models.TextChoices):
    RESIDENT = "resident", _("resident")
    MODERATOR = "moderator", _("moderator")
    PLANNER = "planner", _("urban planner")
    RELAY = "relay", _("intercommunal relay")
    ADMINISTRATOR = "administrator", _("administrator")


# Which scope each assignable role carries: moderators and planners act on a whole
# territory, relays on a set of its communes, administrators on the whole platform.
TERRITORY_ROLES = (Role.MODERATOR, Role.PLANNER, Role.RELAY)


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), related_name="role_assignments", on_delete=models.CASCADE
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=[(r.value, r.label) for r in Role if r != Role.RESIDENT],
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        related_name="role_assignments",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    communes = models.ManyToManyField(
        "territories.Commune",
        verbose_name=_("communes"),
        related_name="relay_assignments",
        blank=True,
        help_text=_("For a relay: the communes where they run workshops."),
    )
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role=Role.ADMINISTRATOR, territory__isnull=True)
                    | Q(role__in=TERRITORY_ROLES, territory__isnull=False)
                ),
                name="role_assignment_scope",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "territory"],
                name="role_assignment_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        scope = self.territory.name if self.territory_id else _("platform")
        return f"{self.user} — {self.get_role_display()} ({scope})"


class ConsentRecord(models.Model):
    """Which version of the participation charter and privacy notice a person accepted,
    and when (recorded at sign-up, and again each time they accept a new version)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), related_name="consents", on_delete=models.CASCADE
    )
    version = models.CharField(_("version accepted"), max_length=20)
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="consent_once_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.version}"


class NotificationPreference(models.Model):
    """A person's choice for one kind of e-mail (a kind a module declares in its manifest:
    core.modules.NotificationKind). No row: the kind's default holds. A row is written
    for each kind the person chooses, so a later change of a default leaves it alone."""

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        related_name="notification_preferences",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("kind of e-mail"), max_length=40)
    accepted = models.BooleanField(_("accepted"))

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.kind}: {self.accepted}"
