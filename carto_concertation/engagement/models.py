# SPDX-License-Identifier: AGPL-3.0-or-later
"""What people do with what a module publishes, whatever its model: votes, comments,
reports and the public moderation log.

Each row names its target by (content type, id), on the models a module declares in its
manifest (``ModuleManifest.engagement_models``); the services refuse any other
(``engagement.targets``). A module reads them through a ``GenericRelation`` on its model
(``Contribution.votes``, ``.comments``, ``.reports``), whose ``related_query_name`` lets
its queries go on naming the target (``Comment.objects.filter(contribution__…)``).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carto_concertation.accounts.models import Role


class TargetQuerySet(models.QuerySet):
    def of(self, target) -> "TargetQuerySet":
        """The rows on one target (any model instance)."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk
        )

    def of_model(self, model) -> "TargetQuerySet":
        """The rows on any target of one model."""
        return self.filter(content_type=ContentType.objects.get_for_model(model))


class LogRelation(GenericRelation):
    """A ``GenericRelation`` to ``ModerationAction`` for a module's model: its queries
    name the target (``ModerationAction.objects.filter(contribution=…)``), but deleting
    the target keeps its lines of the public log (what was decided stays published)."""

    def __init__(self, to="engagement.ModerationAction", **kwargs):
        super().__init__(to, **kwargs)

    def bulk_related_objects(self, objs, using=DEFAULT_DB_ALIAS):
        return self.remote_field.model._base_manager.db_manager(using).none()


def _target_type(null: bool = False) -> models.ForeignKey:
    return models.ForeignKey(
        ContentType,
        verbose_name=_("type of target"),
        related_name="+",
        on_delete=models.CASCADE,
        null=null,
        blank=null,
    )


class Vote(models.Model):
    """One opinion per person and target: +1/−1 (for/against), +1 (support), or −2…+2
    (rating), as the module allows."""

    content_type = _target_type()
    object_id = models.PositiveBigIntegerField(_("target"))
    target = GenericForeignKey("content_type", "object_id")
    # SET_NULL: a deleted account's votes stay counted, without a link to the person.
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="votes", on_delete=models.SET_NULL, null=True
    )
    value = models.SmallIntegerField(_("value"))
    # False for the vote of an account banned from the target's territory: kept, shown
    # to its voter as given, never in the tallies. A default in the database too: the
    # ideas' migration (contributions 0006) copies votes in SQL, naming no such column.
    counted = models.BooleanField(_("counted"), default=True, db_default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "voter"], name="engagement_vote_once"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=-2) & Q(value__lte=2) & ~Q(value=0),
                name="engagement_vote_value_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} ({self.content_type_id}:{self.object_id})"


class Comment(models.Model):
    """A comment on a target, or a reply to one (two levels, never deeper)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("awaiting moderation")
        PUBLISHED = "published", _("published")
        HIDDEN = "hidden", _("hidden by moderation")

    content_type = _target_type()
    object_id = models.PositiveBigIntegerField(_("target"))
    target = GenericForeignKey("content_type", "object_id")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        related_name="replies",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        related_name="comments",
        on_delete=models.SET_NULL,
        null=True,
    )
    text = models.TextField(_("text"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=9, choices=Status.choices, default=Status.PUBLISHED
    )
    moderation_reason = models.TextField(_("reason given by moderation"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The reports on this comment (a report's target is then the comment itself).
    reports = GenericRelation("engagement.Report", related_query_name="comment")

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["content_type", "object_id", "created_at"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "status"], name="engagement_comment_status"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="hidden") | ~Q(moderation_reason=""),
                name="engagement_comment_hidden_reason",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="engagement_comment_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Report(models.Model):
    """Someone signals a target or a comment to the moderators, once per person."""

    # A declared target, or a comment (engagement.Comment).
    content_type = _target_type()
    object_id = models.PositiveBigIntegerField(_("target"))
    target = GenericForeignKey("content_type", "object_id")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        related_name="reports",
        on_delete=models.SET_NULL,
        null=True,
    )
    reason = models.TextField(_("reason"), max_length=1000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("dealt with on"), null=True, blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="engagement_report_target")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "content_type", "object_id"], name="engagement_report_once"
            ),
        ]

    def __str__(self) -> str:
        return self.reason[:60]


class ModerationAction(models.Model):
    """One line of a space's public moderation log.

    The acting person is kept for the collectivité's own audit (admin) but never
    published: the log shows the role they acted in.
    """

    class Action(models.TextChoices):
        APPROVE = "approve", _("approved")
        HIDE = "hide", _("hidden")
        RESTORE = "restore", _("restored")
        MERGE = "merge", _("merged")
        STUDY = "study", _("put under study")
        ANSWER = "answer", _("answered")

    # The participatory space whose public log this line is (a concertation).
    space_type = models.ForeignKey(
        ContentType, verbose_name=_("type of space"), related_name="+", on_delete=models.CASCADE
    )
    space_id = models.PositiveBigIntegerField(_("space"))
    space = GenericForeignKey("space_type", "space_id")
    action = models.CharField(_("action"), max_length=7, choices=Action.choices)
    # What was decided on (e.g. an idea); for a comment, the target it is on and the
    # comment; for a merge, the target of the same type it was merged into.
    content_type = _target_type(null=True)
    object_id = models.PositiveBigIntegerField(_("target"), null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    merged_into_id = models.PositiveBigIntegerField(_("merged into"), null=True, blank=True)
    role = models.CharField(_("acting as"), max_length=20, choices=Role.choices)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acting account"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["space_type", "space_id", "-created_at"], name="engagement_log_recent"
            ),
            models.Index(fields=["content_type", "object_id"], name="engagement_log_target"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.get_role_display()})"


class BanQuerySet(models.QuerySet):
    def in_force(self) -> "BanQuerySet":
        """The bans that apply now: not lifted, and with no end date or one to come."""
        return self.filter(lifted_at__isnull=True).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=timezone.now())
        )


class Ban(models.Model):
    """An account banned from one territory by its moderators: what it writes there is
    kept awaiting moderation, unseen by others and unannounced, and its votes are not
    counted, without telling the person. Lifted, it stays as the record of the decision."""

    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        related_name="bans",
        on_delete=models.CASCADE,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        related_name="bans",
        on_delete=models.CASCADE,
    )
    reason = models.TextField(_("reason"), max_length=1000)
    ends_at = models.DateTimeField(_("ends on"), null=True, blank=True)
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("banned by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
    )
    created_at = models.DateTimeField(_("banned at"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    objects = BanQuerySet.as_manager()

    class Meta:
        verbose_name = _("ban")
        verbose_name_plural = _("bans")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "territory"], name="engagement_ban_account")]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="engagement_ban_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.territory})"

    @property
    def has_ended(self) -> bool:
        return self.ends_at is not None and self.ends_at <= timezone.now()
