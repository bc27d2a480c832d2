# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who voted and what was voted, kept apart.

``Participation`` knows the person (one per person and edition, a database constraint);
``Ballot`` knows the choices and no person. The only tie between them is ``voter_key``, a
keyed hash of (edition, person) under a key derived from the server's secret: the server
finds a voter's ballot to change it during the vote, the tables alone do not link them,
and closing the vote erases the keys (``services``), after which nobody can. The ballot
keeps no time of its own, so that times do not link the two either.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .editions import District, Edition
from .projects import Project


class Participation(models.Model):
    """The record that a person voted in an edition (the émargement)."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), related_name="participations", on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        related_name="budget_participations",
        on_delete=models.CASCADE,
    )
    # The district of the declared address, when the edition asks for one.
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        related_name="participations",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    # The voter declared they meet the edition's minimum age (what they declared, not a date).
    age_declared = models.BooleanField(_("declared of the minimum age"), default=False)
    voted_at = models.DateTimeField(_("voted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "user"], name="budgets_one_ballot_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} — {self.user}"


class Ballot(models.Model):
    """The choices of one ballot, online or on paper, with no person."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "paper", _("paper, typed in at a polling station")
        IMPORTED = "imported", _("imported from a .pb file")

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), related_name="ballots", on_delete=models.CASCADE
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        related_name="ballots",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    # HMAC of (edition, person): see the module's docstring. Empty for paper and imported
    # ballots, and for every ballot once the vote is closed.
    voter_key = models.CharField(_("voter key"), max_length=64, blank=True, default="")
    # The voter id of an imported .pb file, kept so that an export gives it back.
    source_id = models.CharField(_("id in the imported file"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["voter_key"],
                condition=~Q(voter_key=""),
                name="budgets_ballot_voter_key_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} — {self.pk}"


class BallotChoice(models.Model):
    """One project on a ballot: approved (points 1), given points, or ranked (rank 1 first)."""

    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), related_name="choices", on_delete=models.CASCADE
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), related_name="choices", on_delete=models.CASCADE
    )
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "project"], name="budgets_choice_once"),
            models.UniqueConstraint(
                fields=["ballot", "rank"],
                condition=Q(rank__isnull=False),
                name="budgets_choice_rank_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id} — {self.project_id}"


class PaperBallotEntry(models.Model):
    """A paper ballot typed in twice, by two agents, at a polling station; it counts (a
    ``Ballot`` of channel paper) only once both entries agree."""

    class State(models.TextChoices):
        FIRST = "first", _("typed in once")
        AGREED = "agreed", _("both entries agree: counted")
        DISAGREED = "disagreed", _("the entries disagree: to check")

    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        related_name="paper_entries",
        on_delete=models.CASCADE,
    )
    station = models.CharField(_("polling station"), max_length=120)
    sheet = models.CharField(_("ballot sheet number"), max_length=40)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        related_name="paper_entries",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    # Each entry: {"choices": [{"project": number, "points": n, "rank": r}, ...]}.
    first_entry = models.JSONField(_("first entry"))
    first_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first agent"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
    )
    second_entry = models.JSONField(_("second entry"), null=True, blank=True)
    second_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("second agent"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.FIRST)
    ballot = models.OneToOneField(
        Ballot,
        verbose_name=_("ballot"),
        related_name="paper_entry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("typed in at"), auto_now_add=True)

    class Meta:
        verbose_name = _("paper ballot")
        verbose_name_plural = _("paper ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "station", "sheet"], name="budgets_paper_sheet_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} — {self.sheet}"
