# SPDX-License-Identifier: AGPL-3.0-or-later
"""A portal in every state: two communes, projects under way, to come, funded (a loan
with interest in the second commune), inaugurated, not funded, refused and one still
under review; the campaigns end in different years."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from carto_concertation.crowdfunding.models import Project
from tests.factories import CrowdfundingProjectFactory, TerritoryFactory, UserFactory

Status = Project.Status


@pytest.fixture(name="portal")
def portal_fixture(db):
    territory = TerritoryFactory(communes=2)
    first, second = territory.communes.order_by("pk")
    today = timezone.localdate()
    submitter = UserFactory(email="porteur-prive@example.org", pseudonym="PorteurCache")

    def make(**values):
        return CrowdfundingProjectFactory(territory=territory, submitter=submitter, **values)

    projects = {
        "campaign": make(title="Jardin partagé des Tilleuls", raised=2_500, contributors=12),
        "loan": make(
            title="Toiture solaire de l'école",
            commune=second,
            status=Status.FUNDED,
            modality=Project.Modality.LOAN_INTEREST,
            interest_rate="1.80",
            loan_months=60,
            goal=20_000,
            total_budget=80_000,
            raised=20_000,
            contributors=27,
            campaign_starts_on=date(2024, 3, 1),
            campaign_ends_on=date(2024, 4, 30),
            platform=Project.Platform.COLLECTICITY,
            campaign_url="https://www.collecticity.fr/projets/toiture",
            supported=True,
            cofunding=5_000,
        ),
        "inaugurated": make(
            title="Four à pain du village",
            status=Status.INAUGURATED,
            theme=Project.Theme.HERITAGE,
            modality=Project.Modality.DONATION_REWARD,
            goal=8_000,
            raised=9_500,
            contributors=140,
            campaign_starts_on=date(2024, 10, 1),
            campaign_ends_on=date(2025, 1, 15),
        ),
        "not_funded": make(
            title="Épicerie solidaire",
            commune=second,
            status=Status.NOT_FUNDED,
            theme=Project.Theme.SOLIDARITY,
            raised=3_000,
            contributors=15,
            campaign_starts_on=date(2025, 2, 1),
            campaign_ends_on=date(2025, 3, 31),
        ),
        "accepted": make(
            title="Vélos cargo partagés",
            status=Status.ACCEPTED,
            theme=Project.Theme.MOBILITY,
            modality=Project.Modality.LOAN,
            loan_months=24,
            campaign_starts_on=today + timedelta(days=5),
            campaign_ends_on=today + timedelta(days=40),
        ),
        "refused": make(
            title="Parking payant",
            status=Status.REFUSED,
            refusal_reason="Hors du champ du portail : un projet commercial sans intérêt local.",
        ),
        "submitted": make(title="Projet en cours d'examen", status=Status.SUBMITTED),
    }
    return {"territory": territory, "communes": (first, second), **projects}
