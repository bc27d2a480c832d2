# SPDX-License-Identifier: AGPL-3.0-or-later
"""accounts reads the module registry: a module's section of "download my data", its
kinds of e-mail (stored as rows), its part of the account page and what deleting an
account does to its rows, all declared in its manifest and found without naming it."""

import json

import pytest
from django.apps import apps
from django.db import models
from django.template import Template

from carto_concertation.accounts.export import ExportSection
from carto_concertation.accounts.models import NotificationPreference, User
from carto_concertation.accounts.notifications import notify, unsubscribe_url
from carto_concertation.accounts.panels import AccountLink, AccountPanel
from carto_concertation.accounts.selectors import notification_choices
from carto_concertation.core.modules import (
    ModuleManifest,
    NotificationKind,
    module_register,
    module_unregister,
    modules,
)
from tests.factories import UserFactory

from .my_data import my_data_archive

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"  # UserFactory's


@pytest.fixture
def example_module():
    """A participation module of the tests' own, registered for one test: it keeps what
    the house handed it in ``seen``."""
    seen = {"deleted": []}

    def section(user) -> ExportSection:
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [2.4, 47.1]},
            "properties": {"answered": user.pseudonym},
        }
        return ExportSection(
            name="example", records=[{"answered": user.pseudonym}], features=[feature]
        )

    def forget(user) -> None:
        seen["deleted"].append((user.pk, User.objects.filter(pk=user.pk).exists()))

    def panel(user) -> AccountPanel:
        return AccountPanel(
            links=[AccountLink("Mes questionnaires", "/questionnaires/")],
            template=Template('<p class="example">{% for i in items %}{{ i }};{% endfor %}</p>'),
            items=["first", "second"],
        )

    module_register(
        ModuleManifest(
            name="example",
            label="Example",
            app_label="example",
            notification_kinds=(
                NotificationKind("survey_closed", "the results of the surveys I answered"),
                NotificationKind("survey_digest", "a weekly digest of new surveys", default=False),
            ),
            personal_data=(section,),
            personal_data_description="the surveys you answered & their places",
            on_account_deletion=(forget,),
            account_page=(panel,),
        )
    )
    yield seen
    module_unregister("example")


def test_a_module_s_section_is_in_my_data_zip(client, example_module):
    client.force_login(UserFactory(pseudonym="Camille"))
    # The page says what the zip holds, each module's part as it declares it.
    page = client.get("/accounts/data/").content.decode()
    assert "<li>the surveys you answered &amp; their places</li>" in page
    assert "<li>your contributions, comments, votes and reports</li>" in page
    archive = my_data_archive(client)
    assert {"account.json", "contributions.json", "example.json", "example.geojson"} <= set(
        archive.namelist()
    )
    assert json.loads(archive.read("example.json"))["example"] == [{"answered": "Camille"}]
    [feature] = json.loads(archive.read("example.geojson"))["features"]
    assert feature["geometry"]["coordinates"] == [2.4, 47.1]
    account = json.loads(archive.read("account.json"))["account"][0]
    assert account["notifications"] == {
        "answer": True,
        "reply": True,
        "moderation": True,
        "follow": True,
        "report_updates": True,
        "report_fixed_check": True,
        "budget_project_news": True,
        "crowdfunding_project_news": True,
        "survey_closed": True,
        "survey_digest": False,
    }


def test_a_module_s_kind_of_e_mail_is_a_choice_stored_as_a_row(
    client, example_module, django_capture_on_commit_callbacks
):
    me = UserFactory(pseudonym="Camille")
    client.force_login(me)
    page = client.get("/accounts/preferences/").content.decode()
    assert '<input type="checkbox" name="survey_closed" id="id_survey_closed" checked>' in page
    assert "the results of the surveys I answered" in page
    assert '<input type="checkbox" name="survey_digest" id="id_survey_digest">' in page
    assert not NotificationPreference.objects.filter(user=me).exists(), "defaults need no row"

    response = client.post(
        "/accounts/preferences/", {"pseudonym": "Camille", "answer": "on", "survey_digest": "on"}
    )
    assert response.status_code == 302
    rows = dict(NotificationPreference.objects.filter(user=me).values_list("kind", "accepted"))
    assert rows == {
        "answer": True,
        "reply": False,
        "moderation": False,
        "follow": False,
        "report_updates": False,
        "report_fixed_check": False,
        "budget_project_news": False,
        "crowdfunding_project_news": False,
        "survey_closed": False,
        "survey_digest": True,
    }
    me_api = client.get("/api/v1/me/").json()["notifications"]
    assert (me_api["survey_closed"], me_api["survey_digest"]) == (False, True)
    with django_capture_on_commit_callbacks() as queued:
        notify(user=me, kind="survey_closed", subject="Résultats", body="…")
    assert queued == []

    patched = client.patch(
        "/api/v1/me/", {"notifications": {"survey_closed": True}}, content_type="application/json"
    )
    assert patched.json()["notifications"]["survey_closed"] is True
    assert notification_choices(user=me)["survey_closed"] is True
    with django_capture_on_commit_callbacks() as queued:
        notify(user=me, kind="survey_closed", subject="Résultats", body="…")
    assert len(queued) == 1


def test_the_unsubscribe_link_of_a_module_s_kind_names_it_and_stops_it(client, example_module):
    me = UserFactory()
    link = unsubscribe_url(user_id=me.pk, kind="survey_closed").split("://", 1)[1]
    path = link[link.index("/") :]
    assert "the results of the surveys I answered" in client.get(path).content.decode()
    assert client.post(path).status_code == 200
    assert notification_choices(user=me)["survey_closed"] is False
    assert notification_choices(user=me)["answer"] is True


def test_a_kind_no_module_declares_is_refused():
    with pytest.raises(KeyError):
        notify(user=UserFactory(), kind="survey_closed", subject="…", body="…")


def test_a_module_s_links_and_block_are_on_my_account_page(client, example_module):
    client.force_login(UserFactory())
    page = client.get("/accounts/").content.decode()
    assert '<li><a href="/questionnaires/">Mes questionnaires</a></li>' in page
    assert '<p class="example">first;second;</p>' in page
    assert page.index("Mes questionnaires") < page.index("My contributions")


def test_deleting_my_account_runs_what_each_module_declares_first(client, example_module):
    me = UserFactory()
    client.force_login(me)
    assert client.post("/accounts/delete/", {"password": PASSWORD}).status_code == 302
    assert example_module["deleted"] == [(me.pk, True)], "called once, the account still there"
    assert not User.objects.filter(pk=me.pk).exists()


def test_a_module_s_keys_to_the_person_let_the_account_go():
    """An account is deleted by its owner (GDPR art. 17): a module whose rows would hold
    it back (PROTECT, RESTRICT) or leave a dangling key (DO_NOTHING) must declare what
    deletion does to them (on_account_deletion); SET_NULL keeps the row, anonymous, and
    CASCADE takes it with the account."""
    for manifest in modules():
        for model in apps.get_app_config(manifest.app_label).get_models():
            for key in model._meta.get_fields():
                # Forward keys (a many-to-many's rows go with the account anyway).
                forward = key.concrete and (key.many_to_one or key.one_to_one)
                if not forward or key.related_model is not User:
                    continue
                on_delete = key.remote_field.on_delete
                assert on_delete in (models.SET_NULL, models.CASCADE) or (
                    manifest.on_account_deletion
                ), f"{model._meta.label}.{key.name} ({manifest.name}): {on_delete.__name__}"
