# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every page of the module is reached from another: the edition's page leads to the vote,
the results, the recount file, the follow-up and (for its planners) the agents' pages; a
winner's page to its follow-up; the agents' pages to one another."""

import pytest
from django.urls import reverse

from carto_concertation.accounts.models import Role
from carto_concertation.budgets.models import Project
from tests.factories.accounts import user_with_role
from tests.factories.budgets import EditionFactory, ProjectFactory, ResultRunFactory

from .results_world import vote_close

pytestmark = pytest.mark.django_db


def links(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_the_edition_page_leads_where_the_edition_stands(client):
    edition = EditionFactory(phases="vote")
    page = links(client, reverse("budgets:edition", args=[edition.slug]))
    assert f'href="{reverse("budgets:vote", args=[edition.slug])}"' in page
    assert reverse("budgets:results", args=[edition.slug]) not in page
    assert reverse("budgets:pabulib-export", args=[edition.slug]) not in page
    assert reverse("budgets:manage-edition", args=[edition.slug]) not in page

    vote_close(edition)
    ResultRunFactory(edition=edition, is_published=True)
    planner = user_with_role(Role.PLANNER, territory=edition.territory)
    client.force_login(planner)
    page = links(client, reverse("budgets:edition", args=[edition.slug]))
    assert f'href="{reverse("budgets:vote", args=[edition.slug])}"' not in page
    for name in ("results", "pabulib-export", "manage-edition"):
        assert f'href="{reverse(f"budgets:{name}", args=[edition.slug])}"' in page, name
    assert f'href="{reverse("budgets:achievements")}?edition={edition.slug}"' in page


def test_a_winner_s_page_leads_to_its_follow_up_and_a_loser_s_does_not(client):
    winner = ProjectFactory(status=Project.Status.WINNER)
    loser = ProjectFactory(edition=winner.edition, status=Project.Status.NOT_SELECTED)
    slug = winner.edition.slug
    follow_up = reverse("budgets:project-followup", args=[slug, winner.number])
    assert follow_up in links(client, reverse("budgets:project", args=[slug, winner.number]))
    assert "/suivi/" not in links(client, reverse("budgets:project", args=[slug, loser.number]))


def test_the_agents_pages_lead_to_one_another(client):
    edition = EditionFactory()
    client.force_login(user_with_role(Role.PLANNER, territory=edition.territory))
    home = links(client, reverse("budgets:manage"))
    assert f'href="{reverse("budgets:pabulib-import")}"' in home
    assert f'href="{reverse("budgets:manage-edition", args=[edition.slug])}"' in home
    page = links(client, reverse("budgets:manage-edition", args=[edition.slug]))
    for name in ("manage-analysis", "paper", "results-manage", "agent-followup", "edition"):
        assert f'href="{reverse(f"budgets:{name}", args=[edition.slug])}"' in page, name
    assert f'href="{reverse("budgets:achievements")}"' in links(client, reverse("budgets:editions"))
