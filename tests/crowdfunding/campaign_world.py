# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the campaign's tests share: a project in campaign (a 10,000 € donation on
Miimosa), its porteur, an agent of its territory, an agent of another territory, a
resident; and the exports they upload, written here in each layout."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carto_concertation.accounts.models import Role, User
from carto_concertation.crowdfunding.models import Project
from tests.factories import CrowdfundingProjectFactory, TerritoryFactory, UserFactory
from tests.factories.accounts import user_with_role


@dataclass
class World:
    project: Project
    porteur: User
    agent: User
    stranger_agent: User
    resident: User


@pytest.fixture(name="world")
def world_fixture(db) -> World:
    project = CrowdfundingProjectFactory(title="Toiture solaire de l’école")
    return World(
        project=project,
        porteur=project.submitter,
        agent=user_with_role(Role.PLANNER, territory=project.territory),
        stranger_agent=user_with_role(Role.PLANNER, territory=TerritoryFactory(communes=1)),
        resident=UserFactory(),
    )


def upload(text: str, *, encoding: str = "utf-8", name: str = "export.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")
