# SPDX-License-Identifier: AGPL-3.0-or-later
"""Casting under load and the seal: 50 voters at once make 50 participations and 50
ballots; one voter casting twice at once makes one of each; once the vote is sealed no
ballot carries a key, and no table links a ballot to a person."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from carto_concertation.budgets.models import (
    Ballot,
    BallotChoice,
    EditionPhase,
    Participation,
)
from carto_concertation.budgets.selectors.ballots import ballot_of
from carto_concertation.budgets.services.ballots import Declarations, ballot_cast, ballot_seal
from carto_concertation.budgets.tasks import ballots_seal_closed_task
from tests.factories import UserFactory

from .ballots_world import make_world, stored

pytestmark = pytest.mark.django_db(transaction=True)
DECLARED = Declarations(resident=True, of_age=True)


def in_parallel(calls) -> list:
    """Each call in its own thread and database connection, released together."""
    start = threading.Barrier(len(calls))

    def one(call):
        try:
            start.wait()
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(one, calls))


def cast(edition, user, numbers):
    return lambda: (
        ballot_cast(
            edition=edition,
            user=user,
            choices=[{"project": n} for n in numbers],
            declarations=DECLARED,
        ).pk
    )


def test_fifty_voters_at_once_make_fifty_ballots():
    world = make_world()
    voters = [UserFactory() for _ in range(50)]
    ids = in_parallel([cast(world.edition, v, [1 + i % 4]) for i, v in enumerate(voters)])
    assert len(set(ids)) == 50
    assert Participation.objects.filter(edition=world.edition).count() == 50
    assert Ballot.objects.filter(edition=world.edition).count() == 50
    assert BallotChoice.objects.count() == 50


def test_one_voter_casting_twice_at_once_makes_one_of_each():
    world = make_world()
    voter = UserFactory()
    ids = in_parallel([cast(world.edition, voter, [1]), cast(world.edition, voter, [2, 3])])
    assert ids[0] == ids[1]
    assert Participation.objects.count() == 1
    ballot = Ballot.objects.get()
    # One of the two casts won, whole: never a mix of both.
    assert sorted(ballot.choices.values_list("project__number", flat=True)) in ([1], [2, 3])


def test_once_sealed_nothing_links_a_ballot_to_a_person():
    world = make_world()
    voter = UserFactory()
    cast(world.edition, voter, [1])()
    assert ballot_of(world.edition, voter) is not None
    assert ballot_seal(world.edition) == 1
    assert list(Ballot.objects.values_list("voter_key", flat=True)) == [""]
    assert stored(Ballot.objects.get()) == [(1, 1, None)]
    assert ballot_of(world.edition, voter) is None
    # The ballot's table holds no reference to the users' table, and no date of its own.
    user_model = settings.AUTH_USER_MODEL.lower().split(".")[1]
    for model in (Ballot, BallotChoice):
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            assert related is None or related._meta.model_name != user_model, field
            assert field.get_internal_type() not in ("DateTimeField", "DateField"), field
    # Still in the vote phase, the sealed ballot may not be changed nor doubled.
    with pytest.raises(ValidationError) as refused:
        cast(world.edition, voter, [2])()
    assert "edition" in refused.value.message_dict
    assert Ballot.objects.count() == 1


def test_the_hourly_task_seals_the_editions_whose_vote_has_ended():
    ended, running = make_world(), make_world()
    for world in (ended, running):
        cast(world.edition, UserFactory(), [1])()
    phase = ended.edition.phases.get(kind=EditionPhase.Kind.VOTE)
    phase.ends_at = timezone.now() - timedelta(minutes=5)
    phase.save()
    assert ballots_seal_closed_task() == 1
    assert Ballot.objects.get(edition=ended.edition).voter_key == ""
    assert Ballot.objects.get(edition=running.edition).voter_key != ""
    assert ballots_seal_closed_task() == 0


def test_sealing_keeps_every_ballot_and_breaks_the_order_of_ids():
    """Sealed, the ballots are the same (what was voted, counted alike) but their ids no
    longer follow the order of the participations."""
    world = make_world(max_choices=0, within_envelope=False)
    voters = [UserFactory() for _ in range(30)]
    for i, voter in enumerate(voters):
        cast(world.edition, voter, [1 + i % 5, 1 + (i + 1) % 5] if i % 2 else [1 + i % 5])()
    before = sorted(stored(ballot) for ballot in Ballot.objects.all())
    paper = Ballot.objects.create(edition=world.edition, channel=Ballot.Channel.PAPER)
    assert ballot_seal(world.edition) == 30
    after = Ballot.objects.exclude(pk=paper.pk).order_by("pk")
    assert sorted(stored(ballot) for ballot in after) == before
    assert Ballot.objects.filter(pk=paper.pk).exists()
    # In the order of their new ids, the ballots no longer follow the voters' order.
    voted = [stored(b) for b in after]
    in_order = sorted(
        (
            Participation.objects.get(user=v).pk,
            [1 + i % 5, 1 + (i + 1) % 5] if i % 2 else [1 + i % 5],
        )
        for i, v in enumerate(voters)
    )
    assert [[n for n, _p, _r in b] for b in voted] != [sorted(c) for _pk, c in in_order]
