# SPDX-License-Identifier: AGPL-3.0-or-later
"""The database's own guards on a project, under the services' checks: a row that breaks
one never gets in, whatever writes it (the admin, a shell, a bug)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from carto_concertation.crowdfunding.models import Project
from tests.factories import CrowdfundingProjectFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("change", "constraint"),
    [
        ({"goal": 0}, "crowdfunding_goal_positive"),
        ({"campaign_url": "http://www.miimosa.com/x"}, "crowdfunding_campaign_url_https"),
        ({"status": Project.Status.REFUSED, "refusal_reason": ""}, "refusal_has_reason"),
        ({"modality": Project.Modality.LOAN_INTEREST}, "crowdfunding_loan_interest_terms"),
    ],
)
def test_a_row_breaking_a_rule_is_refused_by_the_database(change, constraint):
    project = CrowdfundingProjectFactory()
    for name, value in change.items():
        setattr(project, name, value)
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        project.save()


def test_a_campaign_cannot_end_before_it_starts():
    project = CrowdfundingProjectFactory()
    project.campaign_ends_on = project.campaign_starts_on - timedelta(days=1)
    with pytest.raises(IntegrityError, match="campaign_ends_after_start"), transaction.atomic():
        project.save()


def test_a_loan_with_interest_states_its_terms_and_the_goal_its_share():
    project = CrowdfundingProjectFactory(
        modality=Project.Modality.LOAN_INTEREST,
        interest_rate="1.80",
        loan_months=60,
        goal=20_000,
        total_budget=80_000,
        raised=5_000,
    )
    project.refresh_from_db()
    assert (project.goal_share_percent, project.progress_percent) == (25, 25)
    assert project.geom_3857.srid == 3857
