# SPDX-License-Identifier: AGPL-3.0-or-later
"""A count of an edition's ballots by one rule, computed by a Celery job."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .editions import District, Edition


class ResultRun(models.Model):
    """One count: the rule and its settings, the winners, and per project why it won or
    lost (``explanations``). Published runs are the edition's results."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), related_name="result_runs", on_delete=models.CASCADE
    )
    # None: the whole edition; a district when the envelope is split per district.
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        related_name="result_runs",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    rule = models.CharField(_("counting rule"), max_length=12, choices=Edition.Rule.choices)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=12, choices=Edition.Satisfaction.choices
    )
    mes_comparison = models.BooleanField(_("compare with greedy (MES)"), default=False)
    # The core.Job that computes it (progress while it runs).
    job = models.ForeignKey(
        "core.Job",
        verbose_name=_("job"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    budget = models.PositiveBigIntegerField(_("budget (euros)"), default=0)
    ballots_counted = models.PositiveIntegerField(_("ballots counted"), default=0)
    # Project ids (pk) of the winners, in the order the rule chose them.
    selected = models.JSONField(_("winners"), default=list, blank=True)
    total_cost = models.PositiveBigIntegerField(_("total cost (euros)"), default=0)
    # {project pk (str): {"votes": n, "cost": c, "selected": bool, "step": k,
    #  "reason": code, ...}} — the results page's explanation of each project.
    explanations = models.JSONField(_("explanations"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["edition", "-created_at"]

    def __str__(self) -> str:
        return f"{self.edition} — {self.get_rule_display()}"
