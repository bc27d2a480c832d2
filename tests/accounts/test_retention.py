# SPDX-License-Identifier: AGPL-3.0-or-later
"""Personal data over time (accounts.retention): unverified accounts removed, inactive
ones warned then erased, staff never erased, run by beat and by a command."""

import io
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.utils import timezone

from carto_concertation.accounts.models import Role, User
from carto_concertation.accounts.retention import retention_apply
from carto_concertation.celery import app as celery_app
from carto_concertation.core.modules import ModuleManifest, module_register, module_unregister
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def person(*, joined_days: int = 0, seen_days: int | None = None, verified: bool = True, **kw):
    """An account that joined ``joined_days`` ago, last signed in ``seen_days`` ago."""
    user = UserFactory(
        date_joined=NOW - timedelta(days=joined_days),
        last_login=None if seen_days is None else NOW - timedelta(days=seen_days),
        **kw,
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
    return user


def inactive(**kw):
    """An account last used 3 years and a day ago (RETENTION_INACTIVE_YEARS)."""
    return person(joined_days=2000, seen_days=3 * 365 + 2, **kw)


def remaining(*users) -> set[int]:
    return set(User.objects.filter(pk__in=[u.pk for u in users]).values_list("pk", flat=True))


def test_an_account_never_verified_goes_after_the_setting_s_days(settings):
    old = person(joined_days=8, verified=False)
    young = person(joined_days=6, verified=False)
    no_address = UserFactory(date_joined=NOW - timedelta(days=30))
    verified = person(joined_days=100)
    admin = UserFactory(date_joined=NOW - timedelta(days=30), is_staff=True, is_superuser=True)

    report = retention_apply(now=NOW)

    assert report.unverified_removed == [old.pk, no_address.pk]
    assert remaining(old, young, no_address, verified, admin) == {young.pk, verified.pk, admin.pk}
    assert not EmailAddress.objects.filter(user_id=old.pk).exists()
    settings.RETENTION_UNVERIFIED_DAYS = 5
    assert retention_apply(now=NOW).unverified_removed == [young.pk]


def test_an_inactive_account_is_warned_in_french_then_erased_after_the_delay(mailoutbox):
    gone_quiet = inactive()
    active = person(joined_days=2000, seen_days=3 * 365 - 60)

    report = retention_apply(now=NOW)

    assert report.inactive_warned == [gone_quiet.pk] and report.inactive_erased == []
    gone_quiet.refresh_from_db()
    assert gone_quiet.inactivity_warned_at == NOW
    [mail] = mailoutbox
    assert mail.to == [gone_quiet.email]
    assert "sera supprimé le" in mail.subject
    assert "/accounts/login/" in mail.body and "/accounts/data/" in mail.body
    assert gone_quiet.pseudonym in mail.body
    # Before the delay nothing more happens; from it, the account is erased.
    assert retention_apply(now=NOW + timedelta(days=29)).as_dict()["inactive_erased"] == 0
    assert remaining(gone_quiet) == {gone_quiet.pk}
    report = retention_apply(now=NOW + timedelta(days=30))
    assert report.inactive_erased == [gone_quiet.pk]
    assert remaining(gone_quiet, active) == {active.pk}
    assert len(mailoutbox) == 1


def test_a_job_stopped_for_months_warns_first_and_erases_nobody_unwarned(mailoutbox):
    asleep = person(joined_days=4000, seen_days=6 * 365)

    first = retention_apply(now=NOW)
    again = retention_apply(now=NOW + timedelta(hours=1))

    assert first.inactive_warned == [asleep.pk] and first.inactive_erased == []
    assert again.as_dict() == {
        "dry_run": False,
        "unverified_removed": 0,
        "inactive_warned": 0,
        "inactive_erased": 0,
        "failed": 0,
    }
    assert remaining(asleep) == {asleep.pk}


def test_signing_in_cancels_the_warning(client):
    back = inactive()
    retention_apply(now=NOW)
    back.refresh_from_db()
    assert back.inactivity_warned_at is not None

    client.force_login(back)

    back.refresh_from_db()
    assert back.inactivity_warned_at is None
    later = retention_apply(now=NOW + timedelta(days=60))
    assert later.inactive_erased == [] and later.inactive_warned == []
    assert remaining(back) == {back.pk}


def test_staff_are_warned_and_never_erased(mailoutbox):
    moderator = inactive()
    RoleAssignmentFactory(user=moderator, role=Role.MODERATOR)
    django_staff = inactive(is_staff=True)
    superuser = inactive(is_superuser=True, is_staff=True)

    warned = retention_apply(now=NOW).inactive_warned
    later = retention_apply(now=NOW + timedelta(days=400))

    assert warned == [moderator.pk, django_staff.pk, superuser.pk]
    assert len(mailoutbox) == 3
    assert later.inactive_erased == []
    assert remaining(moderator, django_staff, superuser) == {
        moderator.pk,
        django_staff.pk,
        superuser.pk,
    }


def test_erasing_runs_every_module_s_account_deletion():
    forgotten = []
    module_register(
        ModuleManifest(
            name="retention-probe",
            label="Probe",
            app_label="retention_probe",
            on_account_deletion=(lambda user: forgotten.append(user.pk),),
        )
    )
    try:
        unverified = person(joined_days=10, verified=False)
        warned = inactive()
        User.objects.filter(pk=warned.pk).update(inactivity_warned_at=NOW - timedelta(days=31))
        retention_apply(now=NOW)
    finally:
        module_unregister("retention-probe")
    assert forgotten == [unverified.pk, warned.pk]


def test_a_warning_that_cannot_be_sent_is_not_recorded(settings):
    """The mail server refuses: no warning is kept, so no erasure follows it; the other
    rules go on."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    quiet = inactive()
    unverified = person(joined_days=10, verified=False)

    report = retention_apply(now=NOW)

    assert [pk for pk, _reason in report.failed] == [quiet.pk]
    assert report.unverified_removed == [unverified.pk]
    quiet.refresh_from_db()
    assert quiet.inactivity_warned_at is None
    assert retention_apply(now=NOW + timedelta(days=31)).inactive_erased == []


def test_the_dry_run_lists_and_changes_nothing(mailoutbox):
    unverified = person(joined_days=10, verified=False)
    quiet = inactive()
    due = inactive()
    User.objects.filter(pk=due.pk).update(inactivity_warned_at=NOW - timedelta(days=40))
    out = io.StringIO()

    call_command("retention_apply", "--dry-run", stdout=out)

    assert out.getvalue().splitlines() == [
        "Dry run: nothing was changed.",
        f"unverified accounts removed: 1 {unverified.pk}",
        f"inactive accounts warned: 1 {quiet.pk}",
        f"inactive accounts erased: 1 {due.pk}",
    ]
    assert remaining(unverified, quiet, due) == {unverified.pk, quiet.pk, due.pk}
    quiet.refresh_from_db()
    assert quiet.inactivity_warned_at is None
    assert mailoutbox == []
    call_command("retention_apply", stdout=io.StringIO())
    assert remaining(unverified, quiet, due) == {quiet.pk}


def test_the_batch_size_bounds_one_run(settings):
    settings.RETENTION_BATCH_SIZE = 2
    stale = [person(joined_days=10, verified=False) for _ in range(3)]
    assert len(retention_apply(now=NOW).unverified_removed) == 2
    assert len(retention_apply(now=NOW).unverified_removed) == 1
    assert remaining(*stale) == set()


@pytest.mark.django_db(transaction=True)
def test_beat_runs_the_rules_daily_through_the_worker(settings, celery_worker):
    entry = settings.CELERY_BEAT_SCHEDULE["accounts-retention-apply"]
    daily = entry["schedule"]
    assert (len(daily.minute), len(daily.hour), len(daily.day_of_week)) == (1, 1, 7)
    unverified = person(joined_days=10, verified=False)

    result = celery_app.send_task(entry["task"]).get(timeout=60)

    assert result["unverified_removed"] == 1 and result["failed"] == 0
    assert remaining(unverified) == set()


def test_administrators_see_the_warning_on_the_account_s_admin_page(client):
    warned = inactive()
    retention_apply(now=NOW)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    html = client.get(f"/admin/accounts/user/{warned.pk}/change/").content.decode()

    assert "Warned of inactivity at" in html
    assert 'name="inactivity_warned_at"' not in html  # the job's, not editable
