# SPDX-License-Identifier: AGPL-3.0-or-later
"""The figures of a campaign, as they came: each update of the amount raised and of the
number of contributors (typed by the porteur or an agent, or read from the platform's CSV
export), and each import of such an export. Only totals are kept: no contributor's name,
e-mail or payment ever reaches the server."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .projects import Project


class FundingImport(models.Model):
    """A platform's CSV export, read whole (all its lines or none): what it gave."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), related_name="funding_imports", on_delete=models.CASCADE
    )
    file_name = models.CharField(_("file name"), max_length=255)
    # The export's layout (docs/crowdfunding.md names the columns of each).
    layout = models.CharField(_("layout"), max_length=32)
    lines = models.PositiveIntegerField(_("lines read"))
    # Lines counted (paid) and left aside (refunded, cancelled): the report's totals.
    counted = models.PositiveIntegerField(_("contributions counted"))
    set_aside = models.PositiveIntegerField(_("lines set aside"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("import of a platform's export")
        verbose_name_plural = _("imports of a platform's export")
        ordering = ["project", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.project} — {self.file_name}"


class FundingUpdate(models.Model):
    """The amount raised and the contributors at a moment. A lower amount than the one
    before it needs a correction reason (a refund, a typing error), shown in public."""

    class Source(models.TextChoices):
        PORTEUR = "porteur", _("typed by the porteur")
        AGENT = "agent", _("typed by an agent")
        PLATFORM_CSV = "platform_csv", _("read from the platform's export")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), related_name="funding_updates", on_delete=models.CASCADE
    )
    raised = models.PositiveBigIntegerField(_("amount raised (euros)"))
    contributors = models.PositiveIntegerField(_("contributors"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    correction_reason = models.CharField(_("reason of the correction"), max_length=500, blank=True)
    funding_import = models.OneToOneField(
        FundingImport,
        verbose_name=_("import"),
        related_name="update",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("updated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("update of the figures")
        verbose_name_plural = _("updates of the figures")
        ordering = ["project", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.project} — {self.raised} €"
