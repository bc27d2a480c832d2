# SPDX-License-Identifier: AGPL-3.0-or-later
"""The crowdfunding portal's demo, loaded with the real demo (load_demo, once for the
module): projects in every state, the Buxerolles-like solar roof lent at 1.8 %, figures
histories that hold the campaign's rules, news of the works and followers."""

from datetime import timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from PIL import Image

from carto_concertation.accounts.models import User
from carto_concertation.core.modules import DemoBackbone
from carto_concertation.crowdfunding.demo import crowdfunding_demo
from carto_concertation.crowdfunding.models import (
    FundingImport,
    FundingUpdate,
    Project,
    ProjectFollower,
    ProjectPhoto,
    WorksUpdate,
)
from carto_concertation.crowdfunding.selectors.projects import project_public
from carto_concertation.site.demo import DEMO_ACCOUNTS, DEMO_SIREN
from carto_concertation.territories.models import Commune

pytestmark = [pytest.mark.django_db, pytest.mark.real_demo]


@pytest.fixture
def projects(demo_world) -> list[Project]:
    return list(
        Project.objects.filter(territory__siren=DEMO_SIREN).select_related("commune", "territory")
    )


def test_every_state_of_a_project_s_life_is_shown(projects):
    assert {project.status for project in projects} == set(Project.Status)
    assert {project.modality for project in projects} == set(Project.Modality)
    assert {project.porteur_kind for project in projects} == set(Project.PorteurKind)
    assert len({project.commune_id for project in projects}) == len(projects)
    today = timezone.localdate()
    for project in projects:
        starts, ends = project.campaign_starts_on, project.campaign_ends_on
        assert starts < ends and project.campaign_url.startswith("https://"), project.slug
        match project.status:
            case Project.Status.SUBMITTED | Project.Status.ACCEPTED:
                assert today < starts and project.raised == 0, project.slug
            case Project.Status.CAMPAIGN:
                assert starts <= today <= ends and 0 < project.raised < project.goal
            case Project.Status.FUNDED | Project.Status.INAUGURATED:
                assert ends < today and project.raised >= project.goal, project.slug
            case Project.Status.NOT_FUNDED:
                assert ends < today and 0 < project.raised < project.goal
        # Who decided, and when: every project but the one waiting for the agents.
        decided = project.status != Project.Status.SUBMITTED
        assert (project.decided_by is not None) == decided, project.slug
        if decided:
            assert project.decided_by.has_perm("crowdfunding.review", project)
            assert project.created_at < project.decided_at < timezone.now()


def test_the_refused_project_says_why_and_the_submitted_one_stays_private(projects):
    refused = next(p for p in projects if p.status == Project.Status.REFUSED)
    assert "plateforme agréée" in refused.refusal_reason
    assert project_public(refused.slug) == refused
    submitted = next(p for p in projects if p.status == Project.Status.SUBMITTED)
    assert project_public(submitted.slug) is None
    accepted = next(p for p in projects if p.status == Project.Status.ACCEPTED)
    assert accepted.supported and accepted.public_meeting_on > timezone.localdate()


def test_the_solar_roof_is_lent_like_buxerolles(projects):
    roof = next(p for p in projects if p.modality == Project.Modality.LOAN_INTEREST and p.supported)
    assert roof.status == Project.Status.FUNDED
    assert (roof.goal, roof.raised, roof.contributors) == (20_000, 20_000, 27)
    assert (roof.interest_rate, roof.loan_months) == (Decimal("1.80"), 60)
    assert roof.porteur_kind == Project.PorteurKind.COLLECTIVITE and roof.cofunding
    assert roof.theme == Project.Theme.ENERGY
    assert roof.goal_share_percent == round(20_000 * 100 / roof.total_budget)
    assert roof.funding_updates.count() >= 3


def test_every_place_lies_in_its_commune(projects):
    for project in projects:
        commune = Commune.objects.get(pk=project.commune_id)
        assert commune.territory_id == project.territory_id
        assert commune.geom.covers(project.geom), project.slug
    assert {project.geom.geom_type for project in projects} == {"Point", "MultiPolygon"}


def test_the_figures_hold_the_campaign_s_rules(projects):
    corrections = 0
    for project in projects:
        updates = list(project.funding_updates.order_by("created_at", "pk"))
        if not updates:
            assert (project.raised, project.contributors) == (0, 0), project.slug
            continue
        # The project holds its last figures; each came in during its campaign or the
        # 30 days after it.
        last = updates[-1]
        assert (project.raised, project.contributors) == (last.raised, last.contributors)
        assert project.figures_updated_at == last.created_at
        for update in updates:
            day = timezone.localdate(update.created_at)
            assert project.campaign_starts_on <= day, project.slug
            assert day <= project.campaign_ends_on + timedelta(days=30), project.slug
        # A lower figure than the one before gives its reason, in public.
        for before, after in pairwise(updates):
            lower = after.raised < before.raised or after.contributors < before.contributors
            assert lower == bool(after.correction_reason), project.slug
            corrections += lower
    assert corrections == 1


def test_the_platform_s_export_gave_totals_only(projects):
    funding_import = FundingImport.objects.get(project__in=projects)
    update = funding_import.update
    assert update.source == FundingUpdate.Source.PLATFORM_CSV
    assert update.project.status == Project.Status.CAMPAIGN
    assert funding_import.counted + funding_import.set_aside == funding_import.lines
    # The generic layout names no contributor: they are the paid lines.
    assert update.contributors == funding_import.counted
    assert funding_import.imported_by == update.project.submitter


def test_the_works_are_followed_until_the_inauguration(projects):
    today = timezone.localdate()
    inaugurated = next(p for p in projects if p.status == Project.Status.INAUGURATED)
    news = list(inaugurated.works_updates.order_by("date"))
    assert len(news) >= 2 and news[-1].inaugurated
    assert not any(update.inaugurated for update in news[:-1])
    updates = WorksUpdate.objects.filter(project__in=projects).select_related("project")
    assert {u.project.status for u in updates} <= {"funded", "inaugurated"}
    for update in updates:
        assert update.project.campaign_ends_on < update.date <= today
        assert update.author == update.project.submitter
    # The photos are drawn and stored: real images that open.
    photos = [u.photo for u in updates if u.photo] + [
        p.image for p in ProjectPhoto.objects.filter(project__in=projects)
    ]
    assert len(photos) >= len(projects)
    for photo in photos:
        with Image.open(photo.path) as image:
            assert image.format == "JPEG" and image.size == (640, 400)
    assert not ProjectPhoto.objects.filter(project__status="submitted").exists()


def test_demo_accounts_follow_and_carry_projects(projects):
    emails = {account.email for account in DEMO_ACCOUNTS}
    followers = ProjectFollower.objects.filter(project__in=projects).select_related("user")
    assert followers.count() >= len(projects)
    assert {follower.user.email for follower in followers} <= emails
    assert not followers.filter(project__status__in=["submitted", "refused"]).exists()
    resident = {p.status for p in projects if p.submitter.email == "habitant@demo.invalid"}
    assert {"submitted", "campaign", "inaugurated"} <= resident
    assert {p.submitter.email for p in projects} <= emails


def test_the_demo_line_counts_what_it_added(projects):
    """What load_demo prints, written again in this test's transaction."""
    territory = projects[0].territory
    raised = sum(project.raised for project in projects)
    contributors = sum(project.contributors for project in projects)
    Project.objects.filter(territory=territory).delete()
    accounts = {a.role: User.objects.get(email=a.email) for a in DEMO_ACCOUNTS}
    backbone = DemoBackbone(territory=territory, accounts=accounts, password=None)
    with translation.override("en"):
        line = crowdfunding_demo(backbone)
    assert line == (
        f"Demo crowdfunding portal: {len(projects)} projects in {len(Project.Status)} states, "
        f"{raised:,} € raised from {contributors} contributors"
    )
    assert Project.objects.filter(territory=territory).count() == len(projects)
    assert crowdfunding_demo(backbone) is None


def test_load_demo_again_adds_nothing(projects):
    counted = (Project, FundingUpdate, FundingImport, WorksUpdate, ProjectPhoto, ProjectFollower)
    before = [model.objects.count() for model in counted]
    call_command("load_demo", verbosity=0)
    assert [model.objects.count() for model in counted] == before
