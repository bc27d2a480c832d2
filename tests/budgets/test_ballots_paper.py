# SPDX-License-Identifier: AGPL-3.0-or-later
"""Paper ballots typed in twice (API and the agents' page): two agents agree and the sheet
counts; they disagree and a planner types the right version; the same agent may not type
both entries; a sheet is checked as an online ballot is; who may not gets a 403."""

import pytest

from carto_concertation.budgets.models import Ballot, PaperBallotEntry

from .ballots_world import stored, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
State = PaperBallotEntry.State


def url(edition, tail: str = "") -> str:
    return f"/api/v1/budgets/editions/{edition.slug}/paper{tail}"


def enter(client, world, numbers, *, sheet="12", agent=None):
    if agent is not None:
        client.force_login(agent)
    return client.post(
        url(world.edition),
        {"station": "Mairie", "sheet": sheet, "choices": [{"project": n} for n in numbers]},
        content_type="application/json",
    )


def test_two_agents_agree_and_the_sheet_counts(client, world):
    first = enter(client, world, [2, 1], agent=world.relay)
    assert first.status_code == 201, first.content
    assert first.json()["state"] == State.FIRST and Ballot.objects.count() == 0
    # The same agent may not type the second entry.
    again = enter(client, world, [1, 2])
    assert again.status_code == 400 and "sheet" in again.json()
    second = enter(client, world, [1, 2], agent=world.other_relay)
    assert second.status_code == 201, second.content
    assert second.json()["state"] == State.AGREED and second.json()["counted"]
    ballot = Ballot.objects.get()
    assert ballot.channel == Ballot.Channel.PAPER and ballot.voter_key == ""
    assert stored(ballot) == [(1, 1, None), (2, 1, None)]
    # A third entry of the same sheet is refused.
    third = enter(client, world, [1, 2], agent=world.planner)
    assert third.status_code == 400 and "sheet" in third.json()
    assert Ballot.objects.count() == 1


def test_a_disagreement_is_resolved_by_a_planner(client, world):
    assert enter(client, world, [1], agent=world.relay).status_code == 201
    second = enter(client, world, [4], agent=world.other_relay)
    assert second.json()["state"] == State.DISAGREED
    assert Ballot.objects.count() == 0
    entry = PaperBallotEntry.objects.get()
    listed = client.get(url(world.edition), {"state": "disagreed"}).json()
    assert [e["id"] for e in listed] == [entry.pk]
    resolve = url(world.edition, f"/{entry.pk}/resolve")
    body = {"choices": [{"project": 1}]}
    # A relay enters sheets but does not resolve them.
    assert client.post(resolve, body, content_type="application/json").status_code == 403
    client.force_login(world.planner)
    # The right version is checked as a ballot is: over the envelope, refused.
    over = {"choices": [{"project": n} for n in (1, 2, 3)]}
    refused = client.post(resolve, over, content_type="application/json")
    assert refused.status_code == 400 and "choices" in refused.json()
    assert Ballot.objects.count() == 0
    done = client.post(resolve, body, content_type="application/json")
    assert done.status_code == 200, done.content
    assert done.json()["state"] == State.AGREED
    assert stored(Ballot.objects.get()) == [(1, 1, None)]
    again = client.post(resolve, body, content_type="application/json")
    assert again.status_code == 400 and Ballot.objects.count() == 1


def test_a_sheet_is_checked_as_a_ballot_is(client, world):
    for numbers in ([1, 2, 3, 4], [99], [6], []):
        response = enter(client, world, numbers, agent=world.relay)
        assert response.status_code == 400 and "choices" in response.json(), numbers
    assert PaperBallotEntry.objects.count() == 0


@pytest.mark.parametrize("who", ["resident", "anonymous"])
def test_who_may_not_type_in_sheets_gets_a_403(client, world, who):
    if who == "resident":
        client.force_login(world.resident)
    assert enter(client, world, [1]).status_code == 403
    assert client.get(url(world.edition)).status_code == 403
    assert PaperBallotEntry.objects.count() == 0


def test_the_agents_page_double_entry_without_javascript(client, world):
    page = f"/budgets/gestion/{world.edition.slug}/papier/"
    client.force_login(world.relay)
    assert client.get(page).status_code == 200
    sheet = {"station": "École", "sheet": "7", "choices": "1, 2"}
    response = client.post(page, sheet)
    assert response.status_code == 302
    client.force_login(world.other_relay)
    # A typo: "22" is not on the ballot, shown under the field, nothing written.
    response = client.post(page, sheet | {"choices": "1, 22"})
    assert response.status_code == 400
    assert "Le projet 22 n&#x27;est pas soumis au vote." in response.content.decode()
    assert PaperBallotEntry.objects.get().state == State.FIRST
    response = client.post(page, sheet | {"choices": "1, 3"})
    assert response.status_code == 302
    entry = PaperBallotEntry.objects.get()
    assert entry.state == State.DISAGREED
    client.force_login(world.planner)
    shown = client.get(page).content.decode()
    assert "Bulletins à vérifier" in shown and f"/papier/{entry.pk}/" in shown
    response = client.post(f"{page}{entry.pk}/", {"choices": "1, 2"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == State.AGREED and stored(entry.ballot) == [(1, 1, None), (2, 1, None)]
    client.force_login(world.resident)
    assert client.get(page).status_code == 403
