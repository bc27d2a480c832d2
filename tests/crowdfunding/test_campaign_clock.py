# SPDX-License-Identifier: AGPL-3.0-or-later
"""The campaigns' clock: accepted projects open on their start date, campaigns close the
day after their end date, funded when the amount raised reaches the goal; once only; the
followers hear of the end with the figures and the project's link."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from carto_concertation.accounts.services import user_profile_update
from carto_concertation.crowdfunding.models import Project
from carto_concertation.crowdfunding.services.campaign import campaigns_advance
from carto_concertation.crowdfunding.tasks import campaigns_advance_task
from tests.factories import CrowdfundingFollowerFactory, CrowdfundingProjectFactory, UserFactory

pytestmark = [pytest.mark.django_db]


def _project(starts_in: int, ends_in: int, **fields) -> Project:
    today = timezone.localdate()
    return CrowdfundingProjectFactory(
        campaign_starts_on=today + timedelta(days=starts_in),
        campaign_ends_on=today + timedelta(days=ends_in),
        **fields,
    )


def _status(project: Project) -> str:
    project.refresh_from_db()
    return project.status


def test_the_clock_moves_each_project_on_its_dates_and_once():
    starts_today = _project(0, 30, status=Project.Status.ACCEPTED)
    starts_tomorrow = _project(1, 30, status=Project.Status.ACCEPTED)
    ends_today = _project(-30, 0, status=Project.Status.CAMPAIGN, raised=20_000)
    ended_yesterday_funded = _project(-30, -1, status=Project.Status.CAMPAIGN, raised=10_000)
    ended_yesterday_short = _project(-30, -1, status=Project.Status.CAMPAIGN, raised=9_999)
    submitted_long_ago = _project(-40, -10, status=Project.Status.SUBMITTED)

    assert campaigns_advance() == {"started": 1, "ended": 2}

    assert _status(starts_today) == Project.Status.CAMPAIGN
    assert _status(starts_tomorrow) == Project.Status.ACCEPTED
    assert _status(ends_today) == Project.Status.CAMPAIGN, "its last day is still open"
    assert _status(ended_yesterday_funded) == Project.Status.FUNDED, "the goal reached is funded"
    assert _status(ended_yesterday_short) == Project.Status.NOT_FUNDED
    assert _status(submitted_long_ago) == Project.Status.SUBMITTED, "never accepted"

    assert campaigns_advance() == {"started": 0, "ended": 0}
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert campaigns_advance(today=tomorrow) == {"started": 1, "ended": 1}
    assert _status(ends_today) == Project.Status.FUNDED


def test_an_accepted_project_whose_dates_both_passed_opens_and_closes_at_once():
    late = _project(-20, -2, status=Project.Status.ACCEPTED)
    assert campaigns_advance() == {"started": 1, "ended": 1}
    assert _status(late) == Project.Status.NOT_FUNDED


def test_the_followers_hear_of_the_end_with_the_figures_and_the_link(
    mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    project = _project(
        -30, -1, status=Project.Status.CAMPAIGN, raised=12_500, contributors=143, goal=10_000
    )
    follower = CrowdfundingFollowerFactory(project=project, user=UserFactory()).user
    refuses = user_profile_update(
        user=UserFactory(), notifications={"crowdfunding_project_news": False}
    )
    CrowdfundingFollowerFactory(project=project, user=refuses)
    CrowdfundingFollowerFactory(project=_project(-30, 10), user=UserFactory())

    with django_capture_on_commit_callbacks(execute=True):
        campaigns_advance()
    with django_capture_on_commit_callbacks(execute=True):
        campaigns_advance()

    [mail] = mailoutbox
    assert mail.to == [follower.email]
    assert project.title in mail.subject
    assert "financé" in mail.subject
    assert "12500 €" in mail.body and "143" in mail.body and "125 %" in mail.body
    assert f"{settings.SITE_URL}/financement/{project.slug}/" in mail.body


def test_the_followers_of_a_campaign_short_of_its_goal_hear_of_it_too(
    mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    project = _project(-30, -1, status=Project.Status.CAMPAIGN, raised=4_000, contributors=12)
    CrowdfundingFollowerFactory(project=project)
    with django_capture_on_commit_callbacks(execute=True):
        campaigns_advance()
    [mail] = mailoutbox
    assert "sans atteindre" in mail.body
    assert "4000 €" in mail.body and "40 %" in mail.body


def test_the_task_runs_the_clock_and_beat_runs_the_task_hourly():
    opened = _project(0, 30, status=Project.Status.ACCEPTED)
    assert campaigns_advance_task() == {"started": 1, "ended": 0}
    assert _status(opened) == Project.Status.CAMPAIGN
    [entry] = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "carto_concertation.crowdfunding.tasks.campaigns_advance_task"
    ]
    assert entry["schedule"] == 3600
