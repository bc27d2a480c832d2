# SPDX-License-Identifier: AGPL-3.0-or-later
"""Submissions of one title at once: each gets a slug of its own, none fails."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from carto_concertation.crowdfunding.models import Project
from carto_concertation.crowdfunding.services.projects import project_submit
from tests.factories import UserFactory

from .submission_world import project_data, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


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


def test_five_submissions_of_one_title_at_once_take_five_slugs(world):
    porteurs = [UserFactory() for _ in range(5)]

    def submit(user):
        data = project_data(world, title="Le verger partagé")
        return lambda: project_submit(user=user, territory=world.territory, data=data).slug

    slugs = in_parallel([submit(user) for user in porteurs])
    assert len(set(slugs)) == 5
    assert all(slug.startswith("le-verger-partage") for slug in slugs)
    assert Project.objects.count() == 5
