# SPDX-License-Identifier: AGPL-3.0-or-later
"""How a vote moves an idea's tallies, and what a banned voter reads of them.

A banned account's vote is kept but left out of the tallies (engagement's ``Vote.counted``);
the ban is not told, so wherever that voter reads an idea's tallies (the vote's answer, the
idea's page, the API's detail and list, the map page's list) its own vote shows as counted:
the tallies plus its own uncounted vote, for it alone. Everyone else, the tiles, the open
data and the exports read the tallies as counted."""

from collections import Counter

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Value

from carto_concertation.engagement.models import Vote

from .space_settings import IdeasSettings

TALLIES = ("votes_for", "votes_against", "rating_sum", "rating_count")


def tally(mode: str, value: int) -> Counter:
    """How one vote moves the counters."""
    if mode == IdeasSettings.VoteMode.RATING:
        return Counter(rating_sum=value, rating_count=1)
    return Counter(votes_for=1) if value > 0 else Counter(votes_against=1)


def own_uncounted_vote(model, viewer) -> Subquery | None:
    """An annotation for a queryset of ideas: the value of ``viewer``'s own vote on each
    when it is left out of the tallies (NULL otherwise); None for an anonymous viewer."""
    if not getattr(viewer, "is_authenticated", False):
        return None
    votes = Vote.objects.of_model(model).filter(
        object_id=OuterRef("pk"), voter=viewer, counted=False
    )
    return Subquery(votes.values("value")[:1])


def as_its_voter_reads(idea, mode: str, own_uncounted: int | None) -> None:
    """Add its voter's own uncounted vote to ``idea``'s tallies (attributes or keys), in
    place: what the voter reads, never saved."""
    if own_uncounted is None:
        return
    for field, delta in tally(mode, own_uncounted).items():
        if isinstance(idea, dict):
            idea[field] += delta
        else:
            setattr(idea, field, getattr(idea, field) + delta)


def with_own_vote(ideas: QuerySet, viewer) -> QuerySet:
    """``ideas`` annotated with ``own_uncounted`` (``own_uncounted_vote``), in the same
    query: no query more per idea."""
    own = own_uncounted_vote(ideas.model, viewer)
    nothing = Value(None, output_field=IntegerField())
    return ideas.annotate(own_uncounted=own if own is not None else nothing)


def as_read_by(ideas, vote_mode) -> None:
    """Each idea (annotated by ``with_own_vote``) as its voter reads it. ``vote_mode(idea)``
    gives the vote mode of the idea's concertation, asked only when a vote is to add and
    once per concertation."""
    modes: dict[int, str] = {}
    for idea in ideas:
        if idea.own_uncounted is not None:
            if idea.concertation_id not in modes:
                modes[idea.concertation_id] = vote_mode(idea)
            as_its_voter_reads(idea, modes[idea.concertation_id], idea.own_uncounted)
