# SPDX-License-Identifier: AGPL-3.0-or-later
"""The staff audit journal (core.audit, /admin/journal/): what is recorded, from where,
for whom it is readable, how long the addresses are kept, and that recording never makes
a write fail."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from carto_concertation.accounts.models import Role, RoleAssignment
from carto_concertation.core.audit import audit_actions, audit_record
from carto_concertation.core.models import AuditEntry
from carto_concertation.core.modules import modules
from carto_concertation.core.tasks import audit_addresses_blank_task
from carto_concertation.site.archive.tables import archived_tables
from carto_concertation.territories.models import Territory
from tests.accounts.my_data import my_data_archive
from tests.factories import TerritoryFactory, UserFactory
from tests.factories.accounts import PASSWORD, user_with_role

from .test_login_rate_limit import fresh_ip

pytestmark = pytest.mark.django_db

JOURNAL = "/admin/journal/"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"


@pytest.fixture
def administrator(client):
    """A superuser, as the platform's administrators are (the admin's user pages)."""
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def entries(action: str):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


# --- Recording ----------------------------------------------------------------------------


def test_an_undeclared_action_is_refused():
    with pytest.raises(ImproperlyConfigured, match=r"nobody\.declared"):
        audit_record("nobody.declared")
    assert not AuditEntry.objects.exists()


def test_every_module_declares_labelled_actions_under_its_name():
    declared = audit_actions()
    for manifest in modules():
        for code, label in manifest.audit_actions.items():
            assert code.startswith(f"{manifest.name}."), code
            assert str(label)
    assert {"accounts.staff_signed_in", "plui.imported", "ideas.hide"} <= set(declared)


def test_a_failed_record_leaves_the_write_and_its_transaction_alone(settings, caplog):
    settings.AUDIT_STRICT = False
    with transaction.atomic():
        territory = TerritoryFactory()
        # PostgreSQL refuses this address: the entry's savepoint is rolled back, not the
        # transaction of the write.
        assert audit_record("plui.imported", territory, origin={"ip": "pas une adresse"}) is None
        assert audit_record("nobody.declared", territory) is None
        territory.name = "Toujours écrit"
        territory.save()
    assert Territory.objects.get(pk=territory.pk).name == "Toujours écrit"
    assert not AuditEntry.objects.exists()
    assert "nobody.declared" in caplog.text and "plui.imported" in caplog.text


def test_an_entry_names_its_target_by_type_and_id_never_its_text(administrator):
    territory = TerritoryFactory(name="Un nom qui ne doit pas y être")
    entry = audit_record("plui.imported", territory, actor=administrator, territory=territory)
    assert (entry.target_type, entry.target_id) == ("territories.territory", str(territory.pk))
    assert entry.actor_email == administrator.email and entry.territory == territory
    assert "Un nom" not in str(list(AuditEntry.objects.values()))


def test_the_actor_s_address_is_kept_when_the_account_goes(administrator):
    entry = audit_record("plui.imported", actor=administrator)
    administrator.delete()
    entry.refresh_from_db()
    assert entry.actor is None and entry.actor_email == administrator.email


# --- Staff sign-ins, roles, personal data -------------------------------------------------------


def test_a_staff_sign_in_is_recorded_with_its_address_and_browser_a_resident_s_is_not(client):
    planner = user_with_role(Role.PLANNER, territory=TerritoryFactory())
    resident = UserFactory()
    for user in (planner, resident):
        address = fresh_ip()
        signed_in = client.post(
            "/admin/login/?next=/admin/" if user is planner else "/accounts/login/",
            {"username": user.email, "login": user.email, "password": PASSWORD},
            REMOTE_ADDR=address,
            HTTP_USER_AGENT=BROWSER,
        )
        assert signed_in.status_code == 302, signed_in.content
        if user is planner:
            planner_address = address
        client.logout()
    (entry,) = entries("accounts.staff_signed_in")
    assert entry.actor == planner and entry.ip == planner_address
    assert entry.user_agent == BROWSER


def test_roles_given_and_withdrawn_in_the_admin_are_recorded(client, administrator):
    territory = TerritoryFactory()
    person = UserFactory()
    page = f"/admin/accounts/user/{person.pk}/change/"
    form = {
        "email": person.email,
        "pseudonym": person.pseudonym,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "role_assignments-TOTAL_FORMS": "1",
        "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-0-role": Role.MODERATOR,
        "role_assignments-0-territory": territory.pk,
        "role_assignments-0-user": person.pk,
        "consents-TOTAL_FORMS": "0",
        "consents-INITIAL_FORMS": "0",
    }
    saved = client.post(page, form, REMOTE_ADDR="192.0.2.7")
    assert saved.status_code == 302, saved.context and saved.context["errors"]
    assignment = RoleAssignment.objects.get(user=person)
    (given,) = entries("accounts.role_granted")
    assert given.actor == administrator and given.territory == territory
    assert given.details == {"role_given": Role.MODERATOR} and given.ip == "192.0.2.7"
    assert given.target_id == str(person.pk)

    withdrawn = {
        **form,
        "role_assignments-INITIAL_FORMS": "1",
        "role_assignments-0-id": assignment.pk,
        "role_assignments-0-DELETE": "on",
        "is_staff": "on",
    }
    assert client.post(page, withdrawn).status_code == 302
    assert not RoleAssignment.objects.filter(user=person).exists()
    (entry,) = entries("accounts.role_withdrawn")
    assert entry.details == {"role_withdrawn": Role.MODERATOR} and entry.territory == territory
    (status,) = entries("accounts.staff_status_changed")
    assert status.details == {"is_staff": True, "is_superuser": False}


def test_an_export_of_one_s_personal_data_is_recorded_and_forgotten_with_the_account(client):
    person = UserFactory()
    client.force_login(person)
    address = "2001:db8:1:2:3:4:5:6"
    client.defaults["REMOTE_ADDR"] = address
    # The worker records it, with the address of the request that asked for the archive.
    my_data_archive(client)
    (entry,) = entries("accounts.data_exported")
    # The whole address, not the /64 the rate limits count.
    assert entry.actor == person and entry.ip == address
    assert entry.actor_email == person.email

    deleted = client.post("/accounts/delete/", {"password": PASSWORD})
    assert deleted.status_code == 302
    entry.refresh_from_db()
    assert (entry.actor, entry.actor_email) == (None, "")


# --- The addresses are kept RETENTION_IP_DAYS ---------------------------------------------


def test_the_daily_task_blanks_old_addresses_and_keeps_who_when_what(settings, administrator):
    settings.RETENTION_IP_DAYS = 180
    origin = {"ip": "203.0.113.9", "user_agent": BROWSER}
    old = audit_record("plui.imported", actor=administrator, origin=origin, version=3)
    recent = audit_record("plui.imported", actor=administrator, origin=origin)
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=181))
    AuditEntry.objects.filter(pk=recent.pk).update(at=timezone.now() - timedelta(days=179))

    assert audit_addresses_blank_task.apply().get() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip, old.user_agent) == (None, "")
    assert (old.actor, old.action, old.details) == (administrator, "plui.imported", {"version": 3})
    assert (recent.ip, recent.user_agent) == ("203.0.113.9", BROWSER)
    assert audit_addresses_blank_task.apply().get() == 0
    assert "audit-addresses-blank" in settings.CELERY_BEAT_SCHEDULE


# --- The page ------------------------------------------------------------------------------


def test_only_administrators_read_the_journal(client):
    assert client.get(JOURNAL)["Location"].startswith("/admin/login/")
    client.force_login(UserFactory())
    assert client.get(JOURNAL).status_code == 302
    # A planner may use the admin (their PLUi), not read the journal.
    client.force_login(user_with_role(Role.PLANNER, territory=TerritoryFactory()))
    assert client.get(JOURNAL).status_code == 403
    assert client.get(JOURNAL + "?format=csv").status_code == 403
    assert "/admin/journal/" not in client.get("/admin/").content.decode()


def test_the_journal_in_french_filters_pages_and_downloads(client, administrator):
    other = UserFactory(email="autre.agent@example.org")
    for n in range(60):
        audit_record("plui.imported", ("plui_documents.documentversion", n), actor=administrator)
    audit_record("accounts.data_exported", other, actor=other, origin={"ip": "192.0.2.1"})
    old = audit_record("accounts.data_exported", other, actor=other)
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))

    index = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'href="/admin/journal/"' in index and "Journal des actions" in index

    page = client.get(JOURNAL, HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert page.status_code == 200 and "Journal des actions" in html
    # The 60 imports, the 2 exports and the administrator's own sign-in, newest first.
    assert "63 entrées" in html and "Page 1 sur 2" in html and "?page=2" in html
    assert "PLU/PLUi importé" in html
    second = client.get(JOURNAL + "?page=2").content.decode()
    assert second.count("plui_documents.documentversion n°") == 11

    by_actor = client.get(JOURNAL, {"actor": "autre.agent"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "2 entrées" in by_actor.content.decode() and "192.0.2.1" in by_actor.content.decode()
    today = timezone.localdate().isoformat()
    recent = client.get(
        JOURNAL, {"action": "accounts.data_exported", "since": today}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert "1 entrée" in recent.content.decode()

    download = client.get(JOURNAL, {"actor": "autre.agent", "format": "csv"})
    assert download["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert rows[0][:4] == ["date", "acteur", "role", "action"] and len(rows) == 3
    assert {row[1] for row in rows[1:]} == {"autre.agent@example.org"}
    assert rows[1][9] == "192.0.2.1" and rows[2][9] == ""


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"since": "2026-13-45"}, "since"),
        ({"since": "2026-05-02", "until": "2026-05-01"}, "until"),
        ({"action": "nobody.declared"}, "action"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_field(client, administrator, query, field):
    page = client.get(JOURNAL, query)
    assert page.status_code == 400 and page.context["form"].errors[field]
    download = client.get(JOURNAL, {**query, "format": "csv"})
    assert download.status_code == 400 and field in download.json()


def test_the_journal_is_in_no_api_no_schema_no_open_data(client, administrator):
    audit_record("plui.imported", actor=administrator)
    for path in ("/api/v1/", "/api/v1/schema/", "/ogc/", "/ogc/collections"):
        answer = client.get(path, HTTP_ACCEPT="application/json")
        assert answer.status_code == 200, path
        text = answer.content.decode().lower()
        assert "journal" not in text and "audit" not in text, path
    assert client.get("/api/v1/journal/").status_code == 404
    assert client.get("/api/v1/audit/").status_code == 404
    # Nor in the platform's archive (reversibility), which leaves the admin's log too.
    assert "core_auditentry" not in {table.name for table in archived_tables()}
