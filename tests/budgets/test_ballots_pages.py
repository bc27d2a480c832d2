# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ballot page without JavaScript (in French, the pages' language): a plain form (declarations, a box per project)
that casts, changes and refuses as the API does, field errors shown and nothing written;
its confirmation; the cumulative and ordinal twins."""

import pytest

from carto_concertation.budgets.models import Ballot, Edition, EditionPhase
from carto_concertation.core.throttles import ScopedRateThrottle

from .ballots_world import make_world, stored, world_fixture, written  # noqa: F401

pytestmark = pytest.mark.django_db


def vote_url(edition) -> str:
    return f"/budgets/{edition.slug}/vote/"


def form(numbers=(), **fields) -> dict:
    return {"resident": "on", "of_age": "on", **{f"project-{n}": "on" for n in numbers}, **fields}


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(vote_url(world.edition))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_the_page_lists_the_ballot_and_casts_then_changes(client, world):
    client.force_login(world.resident)
    page = client.get(vote_url(world.edition))
    assert page.status_code == 200
    html = page.content.decode()
    for n in (1, 2, 3, 4, 5):
        assert f'name="project-{n}"' in html
    assert 'name="project-6"' not in html
    assert 'id="ballot-config"' in html and 'name="resident"' in html
    response = client.post(vote_url(world.edition), form([1, 2]))
    assert response.status_code == 302
    assert response["Location"] == f"/budgets/{world.edition.slug}/vote/merci/"
    done = client.get(response["Location"]).content.decode()
    assert "votre bulletin est enregistré" in done and "80\xa0000 €" in done
    # Back on the page: the ballot is shown, ready to change.
    html = client.get(vote_url(world.edition)).content.decode()
    assert 'id="id_project-1" checked' in html and "Modifier mon bulletin" in html
    assert client.post(vote_url(world.edition), form([4])).status_code == 302
    assert written() == (1, 1, 1)
    assert stored(Ballot.objects.get()) == [(4, 1, None)]


REFUSALS = [
    ("over the envelope", form([1, 2, 3]), "coûtent 120\xa0000 €"),
    ("too many", form([1, 2, 3, 4]), "Choisissez au plus 3 projet(s)."),
    ("too few", form([]), "Choisissez au moins 1 projet(s)."),
    ("of another ballot", form([1]) | {"project-6": "on", "project-99": "on"}, None),
    ("not a resident", {"project-1": "on", "of_age": "on"}, "Seuls les habitants"),
    ("under age", {"project-1": "on", "resident": "on"}, "au moins 16 ans"),
]


@pytest.mark.parametrize(("what", "data", "shown"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_refused_form_shows_why_and_writes_nothing(client, world, what, data, shown):
    client.force_login(world.resident)
    response = client.post(vote_url(world.edition), data)
    if shown is None:
        # Fields of projects not on the ballot are not the form's: only n° 1 is cast.
        assert response.status_code == 302
        assert stored(Ballot.objects.get()) == [(1, 1, None)]
        return
    assert response.status_code == 400
    assert shown in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert written() == (0, 0, 0)


def test_outside_the_vote_the_page_says_so_and_the_form_writes_nothing(client, world):
    world.edition.phases.filter(kind=EditionPhase.Kind.VOTE).delete()
    client.force_login(world.resident)
    html = client.get(vote_url(world.edition)).content.decode()
    assert 'id="ballot-closed"' in html and 'id="ballot-submit"' not in html
    response = client.post(vote_url(world.edition), form([1]))
    assert response.status_code == 400 and "pas ouvert" in response.content.decode()
    assert written() == (0, 0, 0)


def test_split_by_district_the_form_asks_the_district(client):
    world = make_world(split_by_district=True, within_envelope=False)
    client.force_login(world.resident)
    response = client.post(vote_url(world.edition), form([1]))
    assert response.status_code == 400
    assert "Choisissez le quartier de votre adresse." in response.content.decode()
    response = client.post(vote_url(world.edition), form([5], district=world.first.pk))
    assert response.status_code == 400
    assert "5 n&#x27;est pas soumis au vote de votre quartier" in response.content.decode()
    assert written() == (0, 0, 0)
    response = client.post(vote_url(world.edition), form([5], district=world.second.pk))
    assert response.status_code == 302
    assert Ballot.objects.get().district == world.second


def test_cumulative_and_ordinal_twins(client):
    world = make_world(
        ballot_type=Edition.BallotType.CUMULATIVE,
        max_points_per_project=3,
        max_points_total=4,
        max_choices=0,
        within_envelope=False,
    )
    client.force_login(world.resident)
    declared = {"resident": "on", "of_age": "on"}
    response = client.post(vote_url(world.edition), declared | {"points-1": "3", "points-2": "3"})
    assert response.status_code == 400 and "Au plus 4 points en tout." in response.content.decode()
    response = client.post(vote_url(world.edition), declared | {"points-1": "9"})
    assert response.status_code == 400 and written() == (0, 0, 0)
    response = client.post(vote_url(world.edition), declared | {"points-1": "3", "points-2": "1"})
    assert response.status_code == 302
    assert stored(Ballot.objects.get()) == [(1, 3, None), (2, 1, None)]

    ordinal = make_world(ballot_type=Edition.BallotType.ORDINAL, within_envelope=False)
    response = client.post(vote_url(ordinal.edition), declared | {"rank-1": "2", "rank-3": "2"})
    assert response.status_code == 400 and "chaque rang une seule fois" in response.content.decode()
    response = client.post(vote_url(ordinal.edition), declared | {"rank-1": "2", "rank-3": "1"})
    assert response.status_code == 302
    assert stored(Ballot.objects.get(edition=ordinal.edition)) == [(1, 1, 2), (3, 1, 1)]


def test_the_form_counts_with_the_api_against_the_casting_limit(client, world, monkeypatch):
    rates = ScopedRateThrottle.THROTTLE_RATES | {"budget_ballot": "2/hour"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    client.force_login(world.resident)
    api = f"/api/v1/budgets/editions/{world.edition.slug}/ballot"
    body = {"resident": True, "of_age": True, "choices": [{"project": 1}]}
    assert client.put(api, body, content_type="application/json").status_code == 200
    assert client.post(vote_url(world.edition), form([2])).status_code == 302
    refused = client.post(vote_url(world.edition), form([3]))
    assert refused.status_code == 429 and refused["Retry-After"]
    assert stored(Ballot.objects.get()) == [(2, 1, None)]
