# SPDX-License-Identifier: AGPL-3.0-or-later
"""After the campaign: dated news of the works with a photo, the last one marking the
inauguration, and the residents who follow a project to hear of them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .projects import Project


class WorksUpdate(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), related_name="works_updates", on_delete=models.CASCADE
    )
    date = models.DateField(_("date"))
    text = models.TextField(_("news"), max_length=5000)
    photo = models.ImageField(_("photo"), upload_to="crowdfunding/updates/%Y/%m/", blank=True)
    # The news of the inauguration: the project is then "inaugurated".
    inaugurated = models.BooleanField(_("inauguration"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    # A banned author's news (engagement's Ban): kept, shown to its author alone.
    hidden = models.BooleanField(_("hidden (banned author)"), default=False)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("news of the works")
        verbose_name_plural = _("news of the works")
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
        related_name="crowdfunding_follows",
        on_delete=models.CASCADE,
    )
    created_at = models.DateTimeField(_("following since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="crowdfunding_follow_once"),
        ]

    def __str__(self) -> str:
        return f"{self.project} — {self.user}"
