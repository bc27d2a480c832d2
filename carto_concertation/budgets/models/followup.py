# SPDX-License-Identifier: AGPL-3.0-or-later
"""The follow-up of the winners: dated updates with photos, and who follows them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .projects import Project


class ProjectUpdate(models.Model):
    """A dated public news of a winning project; it may move its realisation and progress."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), related_name="updates", on_delete=models.CASCADE
    )
    date = models.DateField(_("date"))
    text = models.TextField(_("news"), max_length=5000)
    photo = models.ImageField(_("photo"), upload_to="budgets/updates/%Y/%m/", blank=True)
    realisation = models.CharField(
        _("realisation"), max_length=10, choices=Project.Realisation.choices, blank=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("project news")
        verbose_name_plural = _("project news")
        ordering = ["project", "-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.project} — {self.date}"


class ProjectFollower(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), related_name="followers", on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follower"),
        related_name="budget_follows",
        on_delete=models.CASCADE,
    )
    created_at = models.DateTimeField(_("following since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="budgets_follow_once"),
        ]

    def __str__(self) -> str:
        return f"{self.project} — {self.user}"
