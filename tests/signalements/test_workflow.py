# SPDX-License-Identifier: AGPL-3.0-or-later
"""The workflow's services: the lifecycle with its dates and history, who may act,
re-routing, duplicates, following, "est-ce réparé ?" and the e-mails each one sends."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from carto_concertation.accounts.services import notifications_unsubscribe
from carto_concertation.signalements.models import Report, ReportFollower, ReportUpdate
from carto_concertation.signalements.notifications import (
    email_stop_url,
    fixed_answer_token,
)
from carto_concertation.signalements.services.fixed_check import report_fixed_answer
from carto_concertation.signalements.services.following import (
    report_emails_stop,
    report_follow,
    report_follow_confirm,
    report_unfollow,
)
from carto_concertation.signalements.services.workflow import (
    report_mark_duplicate,
    report_reroute,
    report_state_change,
    reports_state_change_bulk,
)
from carto_concertation.signalements.tasks import report_fixed_check_task
from tests.factories import UserFactory
from tests.factories.accounts import user_with_role
from tests.factories.signalements import ReportFactory, ReportFollowerFactory

from .workflow_world import world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
State = Report.State


def mails_to(mailoutbox, address: str) -> list:
    return [mail for mail in mailoutbox if address in mail.to]


def test_the_lifecycle_open_acknowledged_in_progress_fixed(
    world, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    report = world.report
    with django_capture_on_commit_callbacks(execute=True):
        report_state_change(
            report=report, actor=world.agent, state=State.ACKNOWLEDGED, text="Vu, merci."
        )
    assert report.state == State.ACKNOWLEDGED and report.acknowledged_at is not None
    acknowledged_at = report.acknowledged_at
    with django_capture_on_commit_callbacks(execute=True):
        report_state_change(
            report=report, actor=world.agent, state=State.IN_PROGRESS, text="Équipe lundi."
        )
        report_state_change(
            report=report, actor=world.agent, state=State.FIXED, text="Lampe changée."
        )
    report.refresh_from_db()
    assert report.state == State.FIXED
    assert report.acknowledged_at == acknowledged_at, "taken into account once"
    assert report.fixed_at is not None and report.fixed_at >= acknowledged_at
    history = list(
        report.updates.values_list("kind", "state_before", "state_after", "text", "author")
    )
    assert history == [
        ("state", "open", "acknowledged", "Vu, merci.", world.agent.pk),
        ("state", "acknowledged", "in_progress", "Équipe lundi.", world.agent.pk),
        ("state", "in_progress", "fixed", "Lampe changée.", world.agent.pk),
    ]
    mails = mails_to(mailoutbox, world.resident.email)
    assert len(mails) == 3
    assert "Lampe changée." in mails[-1].body
    assert "Services techniques de la commune" in mails[-1].body
    assert world.agent.email not in mails[-1].body and world.agent.pseudonym not in mails[-1].body


def test_straight_to_fixed_counts_as_taken_into_account(world):
    report_state_change(report=world.report, actor=world.agent, state=State.FIXED, text="Fait.")
    assert world.report.acknowledged_at == world.report.fixed_at


@pytest.mark.parametrize("who", ["resident", "other_agent", "planner", "anonymous"])
def test_a_state_change_by_anyone_but_the_report_s_service_is_refused(
    world, who, mailoutbox, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import AnonymousUser

    actors = {
        "resident": world.resident,
        "other_agent": world.other_agent,
        "planner": user_with_role("planner", world.category.territory),
        "anonymous": AnonymousUser(),
    }
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        report_state_change(report=world.report, actor=actors[who], state=State.FIXED, text="Fait.")
    world.report.refresh_from_db()
    assert world.report.state == State.OPEN and world.report.fixed_at is None
    assert not world.report.updates.exists()
    assert mailoutbox == []


def test_an_administrator_may_act(world):
    admin = UserFactory(is_superuser=True)
    report_state_change(report=world.report, actor=admin, state=State.IN_PROGRESS, text="En cours.")
    assert world.report.state == State.IN_PROGRESS


@pytest.mark.parametrize(
    ("start", "state", "reason", "field"),
    [
        (State.OPEN, State.NOT_FIXED, "", "reason"),
        (State.OPEN, State.NOT_RESPONSIBLE, "  ", "reason"),
        (State.OPEN, State.DUPLICATE, "", "state"),
        (State.OPEN, State.UNCONFIRMED, "", "state"),
        (State.OPEN, "broken", "", "state"),
        (State.ACKNOWLEDGED, State.OPEN, "", "state"),
        (State.FIXED, State.OPEN, "", "state"),
        (State.FIXED, State.FIXED, "", "state"),
        (State.UNCONFIRMED, State.ACKNOWLEDGED, "", "state"),
    ],
)
def test_a_move_that_is_not_allowed_names_its_field(world, start, state, reason, field):
    Report.objects.filter(pk=world.report.pk).update(state=start)
    world.report.refresh_from_db()
    with pytest.raises(ValidationError) as raised:
        report_state_change(
            report=world.report, actor=world.agent, state=state, text="Texte.", reason=reason
        )
    assert set(raised.value.message_dict) == {field}
    world.report.refresh_from_db()
    assert world.report.state == start and not world.report.updates.exists()


def test_the_public_text_is_required_and_kept_as_typed(world):
    with pytest.raises(ValidationError) as raised:
        report_state_change(
            report=world.report, actor=world.agent, state=State.ACKNOWLEDGED, text="  "
        )
    assert set(raised.value.message_dict) == {"text"}
    typed = "<b>Vu</b> & « noté »"
    update = report_state_change(
        report=world.report, actor=world.agent, state=State.ACKNOWLEDGED, text=typed
    )
    assert update.text == typed


def test_not_responsible_keeps_the_body_to_contact_and_may_be_taken_back(world):
    report_state_change(
        report=world.report,
        actor=world.agent,
        state=State.NOT_RESPONSIBLE,
        text="Ce n'est pas notre voirie.",
        reason="Conseil départemental du Cher, 02 48 00 00 00",
    )
    assert world.report.state_reason.startswith("Conseil départemental")
    report_state_change(
        report=world.report, actor=world.agent, state=State.IN_PROGRESS, text="Finalement si."
    )
    assert world.report.state == State.IN_PROGRESS and world.report.state_reason == ""


def test_fixed_then_taken_back_clears_its_date(world):
    report_state_change(report=world.report, actor=world.agent, state=State.FIXED, text="Fait.")
    report_state_change(
        report=world.report, actor=world.agent, state=State.IN_PROGRESS, text="Pas tenu."
    )
    assert world.report.fixed_at is None and world.report.fixed_check_sent_at is None


def test_the_bulk_change_is_all_or_none(
    world, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    mine = ReportFactory(category=world.category, service=world.commune_service)
    theirs = ReportFactory(category=world.category, service=world.epci_service)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        reports_state_change_bulk(
            reports=[world.report, mine, theirs],
            actor=world.agent,
            state=State.ACKNOWLEDGED,
            text="Vu.",
        )
    fixed = ReportFactory(category=world.category, service=world.commune_service, state=State.FIXED)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as raised:
        reports_state_change_bulk(
            reports=[world.report, mine, fixed], actor=world.agent, state=State.OPEN, text="Vu."
        )
    assert list(raised.value.message_dict) == ["reports"]
    assert not ReportUpdate.objects.exists() and mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        updates = reports_state_change_bulk(
            reports=[world.report, mine], actor=world.agent, state=State.ACKNOWLEDGED, text="Vu."
        )
    assert len(updates) == 2
    assert set(
        Report.objects.filter(pk__in=[world.report.pk, mine.pk]).values_list("state", flat=True)
    ) == {State.ACKNOWLEDGED}
    assert len(mailoutbox) == 2


def test_rerouting_keeps_its_history_and_tells_the_new_service(
    world, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_reroute(
            report=world.report,
            actor=world.agent,
            service=world.epci_service,
            text="Voirie intercommunale.",
        )
    assert world.report.service == world.epci_service
    [step] = world.report.updates.all()
    assert (step.kind, step.service_before, step.service_after) == (
        ReportUpdate.Kind.REROUTED,
        world.commune_service,
        world.epci_service,
    )
    [mail] = mailoutbox
    assert mail.to == [world.epci_service.email]
    assert f"/signalements/{world.report.pk}/" in mail.body
    assert "List-Unsubscribe" not in mail.message()
    # Now the commune's agent no longer acts on it; the EPCI's does.
    with pytest.raises(PermissionDenied):
        report_state_change(
            report=world.report, actor=world.agent, state=State.ACKNOWLEDGED, text="Vu."
        )
    report_state_change(
        report=world.report, actor=world.other_agent, state=State.ACKNOWLEDGED, text="Vu."
    )


def test_rerouting_out_of_the_territory_or_to_the_same_service_is_refused(world):
    from tests.factories.signalements import ServiceFactory

    elsewhere = ServiceFactory()
    for service in (elsewhere, world.commune_service):
        with pytest.raises(ValidationError) as raised:
            report_reroute(report=world.report, actor=world.agent, service=service)
        assert set(raised.value.message_dict) == {"service"}
    with pytest.raises(PermissionDenied):
        report_reroute(report=world.report, actor=world.other_agent, service=world.epci_service)
    assert world.report.service == world.commune_service and not world.report.updates.exists()


def test_the_duplicate_merge_moves_followers_without_double_rows(
    world, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    original = world.report
    twin = ReportFactory(
        category=world.category,
        service=world.commune_service,
        author=None,
        email="anonyme@example.org",
    )
    both, only_twin = UserFactory(), UserFactory()
    for user in (both, only_twin):
        ReportFollowerFactory(report=twin, user=user)
    ReportFollowerFactory(report=original, user=both)
    ReportFollowerFactory(report=twin, user=world.resident)  # the original's own reporter
    ReportFollower.objects.create(report=twin, email="voisin@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        update = report_mark_duplicate(
            report=twin, actor=world.agent, original=original, text="Déjà signalé."
        )
    twin.refresh_from_db()
    assert (twin.state, twin.duplicate_of) == (State.DUPLICATE, original)
    assert (update.state_before, update.state_after) == (State.OPEN, State.DUPLICATE)
    assert not twin.followers.exists()
    followers = set(original.followers.values_list("user_id", "email"))
    assert followers == {
        (both.pk, ""),
        (only_twin.pk, ""),
        (None, "anonyme@example.org"),
        (None, "voisin@example.org"),
    }
    told = {address for mail in mailoutbox for address in mail.to}
    assert told == {
        both.email,
        only_twin.email,
        world.resident.email,
        "anonyme@example.org",
        "voisin@example.org",
    }
    assert all(f"#{original.pk}" in mail.body for mail in mailoutbox)


def test_what_cannot_be_a_duplicate(world):
    from tests.factories.signalements import CategoryFactory

    other_territory = ReportFactory(category=CategoryFactory())
    duplicate = ReportFactory(category=world.category, service=world.commune_service)
    report_mark_duplicate(report=duplicate, actor=world.agent, original=world.report)
    fresh = ReportFactory(category=world.category, service=world.commune_service)
    private = ReportFactory(category=world.category, is_public=False)
    hidden = ReportFactory(category=world.category, is_hidden=True)
    cases = [
        (fresh, private, "original"),
        (fresh, hidden, "original"),
        (fresh, fresh, "original"),
        (fresh, other_territory, "original"),
        (fresh, duplicate, "original"),
        (duplicate, fresh, "state"),
    ]
    for report, original, field in cases:
        with pytest.raises(ValidationError) as raised:
            report_mark_duplicate(report=report, actor=world.agent, original=original)
        assert set(raised.value.message_dict) == {field}
    with pytest.raises(PermissionDenied):
        report_mark_duplicate(report=fresh, actor=world.other_agent, original=world.report)
    assert fresh.updates.count() == 0


def test_follow_as_an_account_and_unfollow(world):
    neighbour = UserFactory()
    follower = report_follow(report=world.report, user=neighbour)
    assert report_follow(report=world.report, user=neighbour) == follower  # twice: once
    assert report_follow(report=world.report, user=world.resident) is None  # its reporter
    assert world.report.followers.count() == 1
    report_unfollow(report=world.report, user=neighbour)
    assert not world.report.followers.exists()


def test_a_private_report_is_followed_by_no_stranger(world):
    world.report.is_public = False
    world.report.save()
    with pytest.raises(PermissionDenied):
        report_follow(report=world.report, user=UserFactory())
    with pytest.raises(PermissionDenied):
        report_follow(report=world.report, email="curieux@example.org")


def test_a_bare_address_follows_once_it_confirms(
    world, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert report_follow(report=world.report, email="Voisine@Example.org") is None
    assert not world.report.followers.exists(), "nothing before the link is opened"
    [mail] = mailoutbox
    link = next(word for word in mail.body.split() if "/signalements/suivre/" in word)
    token = urlsplit(link).path.rstrip("/").rsplit("/", 1)[1]
    client = Client()
    assert client.get(urlsplit(link).path).status_code == 200
    assert not world.report.followers.exists(), "opening the link (a checker does) writes nothing"
    assert client.post(urlsplit(link).path).status_code == 200
    assert list(world.report.followers.values_list("email", flat=True)) == ["voisine@example.org"]
    report_follow_confirm(token=token)
    assert world.report.followers.count() == 1
    with pytest.raises(ValidationError) as raised:
        report_follow_confirm(token=token + "x")
    assert set(raised.value.message_dict) == {"token"}


def test_a_follow_link_expires(world, settings):
    from carto_concertation.signalements.notifications import follow_confirm_url

    settings.SIGNALEMENTS_FOLLOW_LINK_HOURS = 0
    link = follow_confirm_url(report_id=world.report.pk, email="tard@example.org")
    token = urlsplit(link).path.rstrip("/").rsplit("/", 1)[1]
    import time

    time.sleep(1)
    with pytest.raises(ValidationError):
        report_follow_confirm(token=token)


def test_notifications_opted_out_are_not_sent(
    world, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    follower, refuser = UserFactory(), UserFactory()
    for user in (follower, refuser):
        ReportFollowerFactory(report=world.report, user=user)
    ReportFollowerFactory(report=world.report, user=world.agent)  # the acting agent follows
    notifications_unsubscribe(user_id=refuser.pk, kind="report_updates")
    notifications_unsubscribe(user_id=world.resident.pk, kind="report_updates")
    with django_capture_on_commit_callbacks(execute=True):
        report_state_change(
            report=world.report, actor=world.agent, state=State.ACKNOWLEDGED, text="Vu."
        )
    assert [mail.to for mail in mailoutbox] == [[follower.email]]


def test_an_address_stops_the_e_mails_of_a_report_in_one_click(
    world, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    anonymous = ReportFactory(
        category=world.category,
        service=world.commune_service,
        author=None,
        email="sans-compte@example.org",
    )
    ReportFollower.objects.create(report=anonymous, email="voisin@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        report_state_change(
            report=anonymous, actor=world.agent, state=State.ACKNOWLEDGED, text="Vu."
        )
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "sans-compte@example.org",
        "voisin@example.org",
    ]
    for mail in mailoutbox:
        link = mail.message()["List-Unsubscribe"].strip("<>")
        assert link in mail.body
        # Mail clients post without cookies nor CSRF token (RFC 8058).
        assert Client(enforce_csrf_checks=True).post(urlsplit(link).path).status_code == 200
    anonymous.refresh_from_db()
    assert anonymous.email == "" and not anonymous.followers.exists()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_state_change(report=anonymous, actor=world.agent, state=State.FIXED, text="Fait.")
    assert mailoutbox == []
    with pytest.raises(ValidationError):
        report_emails_stop(token="pas-un-jeton")
    assert (
        Client().get(urlsplit(email_stop_url(report_id=0, email="x@example.org")).path).status_code
        == 400
    )


def fixed_weeks_ago(report: Report, weeks: int) -> None:
    Report.objects.filter(pk=report.pk).update(
        state=State.FIXED, fixed_at=timezone.now() - timedelta(weeks=weeks)
    )
    report.refresh_from_db()


def test_the_fixed_check_asks_once_four_weeks_after(
    world, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    recent = ReportFactory(category=world.category, service=world.commune_service)
    fixed_weeks_ago(recent, 3)
    fixed_weeks_ago(world.report, 5)
    nobody_s = ReportFactory(category=world.category, author=None, email="")
    fixed_weeks_ago(nobody_s, 5)
    with django_capture_on_commit_callbacks(execute=True):
        assert report_fixed_check_task() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert report_fixed_check_task() == 0, "asked once"
    world.report.refresh_from_db()
    assert world.report.fixed_check_sent_at is not None
    assert world.report.updates.filter(kind=ReportUpdate.Kind.FIXED_CHECK).count() == 1
    [mail] = mailoutbox
    assert mail.to == [world.resident.email]
    assert "?oui" in mail.body and "?non" in mail.body
    assert not nobody_s.updates.exists(), "nobody to ask: no question in its history"


def test_the_reporter_s_no_reopens_and_tells_the_service(
    world, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    fixed_weeks_ago(world.report, 5)
    with django_capture_on_commit_callbacks(execute=True):
        report_fixed_check_task()
    no = next(w for w in mailoutbox[0].body.split() if w.endswith("?non"))
    mailoutbox.clear()
    client = Client()
    path = urlsplit(no).path
    page = client.get(f"{path}?non")
    assert page.status_code == 200 and world.report.updates.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(path, {"fixed": "non", "text": "Toujours\x00 éteint."})
    assert done.status_code == 200
    world.report.refresh_from_db()
    assert world.report.state == State.OPEN
    assert world.report.fixed_at is None and world.report.fixed_check_sent_at is None
    reopened = world.report.updates.last()
    assert (reopened.kind, reopened.state_before, reopened.state_after, reopened.text) == (
        ReportUpdate.Kind.REOPENED,
        State.FIXED,
        State.OPEN,
        "Toujours éteint.",
    )
    assert [mail.to for mail in mailoutbox] == [[world.commune_service.email]]
    assert "Toujours éteint." in mailoutbox[0].body


def test_only_the_reporter_answers(world):
    fixed_weeks_ago(world.report, 5)
    other = ReportFactory(category=world.category, service=world.commune_service)
    for kwargs in (
        {"user": UserFactory()},
        {"user": world.agent},
        {"token": fixed_answer_token(report_id=other.pk)},
        {"token": "faux"},
        {},
    ):
        with pytest.raises(PermissionDenied):
            report_fixed_answer(report=world.report, fixed=False, **kwargs)
    world.report.refresh_from_db()
    assert world.report.state == State.FIXED
    yes = report_fixed_answer(report=world.report, fixed=True, user=world.resident)
    assert (yes.kind, yes.state_before, yes.state_after) == (
        "fixed_check",
        State.FIXED,
        State.FIXED,
    )
    assert (
        report_fixed_answer(
            report=world.report, fixed=True, token=fixed_answer_token(report_id=world.report.pk)
        )
        == yes
    )
    report_state_change(report=other, actor=world.agent, state=State.IN_PROGRESS, text="En cours.")
    with pytest.raises(ValidationError) as raised:
        report_fixed_answer(report=other, fixed=False, user=other.author)
    assert set(raised.value.message_dict) == {"fixed"}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_beat_s_fixed_check(celery_worker, settings):
    """Beat's entry names a task the worker knows, and it asks once. (The e-mails it
    queues go to the default queue, which the tests' private worker does not read: they
    are checked with eager tasks above.)"""
    from carto_concertation.celery import app as celery_app
    from tests.factories.signalements import CategoryFactory, ServiceFactory

    category = CategoryFactory()
    service = ServiceFactory(territory=category.territory)
    report = ReportFactory(category=category, service=service)
    fixed_weeks_ago(report, 5)
    task = settings.CELERY_BEAT_SCHEDULE["reports-fixed-check"]["task"]
    assert celery_app.send_task(task).get(timeout=60) == 1
    assert celery_app.send_task(task).get(timeout=60) == 0
    report.refresh_from_db()
    assert report.fixed_check_sent_at is not None
    assert report.updates.get().kind == ReportUpdate.Kind.FIXED_CHECK
