# SPDX-License-Identifier: AGPL-3.0-or-later
"""The .pb import and export through the API and the pages: 201 and the new edition, 400
naming the line of the file with nothing written, 403 for who may not, the page's plain
form (no JavaScript) with its error, the downloads and their refusals."""

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.throttling import ScopedRateThrottle

from carto_concertation.accounts.models import Role
from carto_concertation.budgets.models import Ballot, Edition, Project
from carto_concertation.budgets.pabulib import parse
from carto_concertation.budgets.services import pabulib_io
from tests.factories import UserFactory
from tests.factories.accounts import user_with_role
from tests.factories.budgets import BallotFactory, EditionFactory, ProjectFactory
from tests.factories.territories import TerritoryFactory

from .pabulib_cases import APPROVAL, BAD_FILES, NOT_UTF8

pytestmark = pytest.mark.django_db
IMPORT_API = "/api/v1/budgets/import"
IMPORT_PAGE = "/budgets/gestion/importer/"


def upload(content: str | bytes, name: str = "budget.pb") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/plain")


def rows() -> tuple[int, int, int]:
    return Edition.objects.count(), Project.objects.count(), Ballot.objects.count()


@pytest.fixture
def client(client):
    """The pages and the API answer in the browser's language: English for these asserts."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def planner():
    territory = TerritoryFactory()
    return user_with_role(Role.PLANNER, territory=territory), territory


def test_the_api_imports_a_file(client, planner):
    user, territory = planner
    client.force_login(user)
    response = client.post(IMPORT_API, {"territory": territory.pk, "file": upload(APPROVAL)})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["projects"], body["ballots"], body["envelope"]) == (3, 2, 1000)
    edition = Edition.objects.get(slug=body["slug"])
    assert edition.territory == territory and edition.title == "Budget de test"


@pytest.mark.parametrize(
    ("case", "text", "line", "reason"), BAD_FILES, ids=[c[0] for c in BAD_FILES]
)
def test_the_api_names_the_line_and_writes_nothing(client, planner, case, text, line, reason):
    user, territory = planner
    client.force_login(user)
    response = client.post(IMPORT_API, {"territory": territory.pk, "file": upload(text)})
    assert response.status_code == 400
    (message,) = response.json()["file"]
    assert message.startswith(f"line {line}: ") and reason in message
    assert rows() == (0, 0, 0)


def test_the_api_refuses_a_file_not_utf8(client, planner):
    user, territory = planner
    client.force_login(user)
    response = client.post(IMPORT_API, {"territory": territory.pk, "file": upload(NOT_UTF8)})
    assert response.status_code == 400
    assert response.json()["file"][0].startswith("line 12: the file is not UTF-8")
    assert rows() == (0, 0, 0)


def test_the_api_refuses_a_file_too_large(client, planner, monkeypatch):
    monkeypatch.setattr(pabulib_io, "MAX_FILE_BYTES", 2 * 2**20)
    user, territory = planner
    client.force_login(user)
    big = APPROVAL + "\n" * (2 * 2**20)
    response = client.post(IMPORT_API, {"territory": territory.pk, "file": upload(big)})
    assert response.status_code == 400
    assert response.json() == {"file": ["The file is larger than 2 MB."]}
    assert rows() == (0, 0, 0)


def test_the_api_names_a_missing_field(client, planner):
    user, territory = planner
    client.force_login(user)
    response = client.post(IMPORT_API, {"file": upload(APPROVAL)})
    assert response.status_code == 400 and "territory" in response.json()
    response = client.post(IMPORT_API, {"territory": territory.pk})
    assert response.status_code == 400 and "file" in response.json()
    assert rows() == (0, 0, 0)


def test_imports_are_rate_limited(client, planner, monkeypatch):
    # DRF reads its rates and its cache once, at import: point them at this test's.
    user, territory = planner
    monkeypatch.setattr(
        ScopedRateThrottle,
        "THROTTLE_RATES",
        {**ScopedRateThrottle.THROTTLE_RATES, "budgets_import": "2/hour"},
    )
    monkeypatch.setattr(ScopedRateThrottle, "cache", caches["default"])
    caches["default"].delete(
        ScopedRateThrottle.cache_format % {"scope": "budgets_import", "ident": user.pk}
    )
    client.force_login(user)
    statuses = [
        client.post(IMPORT_API, {"territory": territory.pk, "file": upload(APPROVAL)}).status_code
        for _ in range(3)
    ]
    assert statuses == [201, 201, 429]
    assert Edition.objects.count() == 2


@pytest.mark.parametrize("who", ["resident", "other_planner", "anonymous"])
def test_who_does_not_run_the_territory_may_not_import(client, planner, who):
    _user, territory = planner
    if who == "resident":
        client.force_login(UserFactory())
    elif who == "other_planner":
        client.force_login(user_with_role(Role.PLANNER, territory=TerritoryFactory()))
    response = client.post(IMPORT_API, {"territory": territory.pk, "file": upload(APPROVAL)})
    assert response.status_code in (401, 403)
    assert rows() == (0, 0, 0)


def test_the_page_imports_with_a_plain_form(client, planner):
    user, territory = planner
    TerritoryFactory()  # not theirs: not offered
    client.force_login(user)
    page = client.get(IMPORT_PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html and "<script" not in html.split("<main")[-1]
    assert page.context["form"].fields["territory"].queryset.get() == territory
    response = client.post(
        IMPORT_PAGE, {"territory": territory.pk, "file": upload(APPROVAL)}, follow=True
    )
    assert response.status_code == 200
    edition = Edition.objects.get()
    assert edition.slug in response.content.decode()
    assert edition.ballots.count() == 2


def test_the_page_shows_the_line_and_the_reason(client, planner):
    user, territory = planner
    client.force_login(user)
    bad = APPROVAL.replace("v2;3", "v2;9")
    response = client.post(IMPORT_PAGE, {"territory": territory.pk, "file": upload(bad)})
    assert response.status_code == 400
    assert "line 16: the vote names an unknown project 9" in response.content.decode()
    assert rows() == (0, 0, 0)


def test_the_page_names_the_missing_fields(client, planner):
    client.force_login(planner[0])
    response = client.post(IMPORT_PAGE, {})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"territory", "file"}


def test_the_page_offers_no_territory_that_is_not_theirs(client, planner):
    user, _territory = planner
    client.force_login(user)
    other = TerritoryFactory()
    response = client.post(IMPORT_PAGE, {"territory": other.pk, "file": upload(APPROVAL)})
    assert response.status_code == 400 and rows() == (0, 0, 0)


def test_the_page_is_for_agents(client):
    client.force_login(UserFactory())
    assert client.get(IMPORT_PAGE).status_code == 403
    client.logout()
    assert client.get(IMPORT_PAGE).status_code == 302


def _edition(phases: str, **fields) -> Edition:
    edition = EditionFactory(phases=phases, **fields)
    a, b = ProjectFactory(edition=edition), ProjectFactory(edition=edition)
    BallotFactory(edition=edition, projects=[a, b])
    BallotFactory(edition=edition, projects=[b])
    return edition


@pytest.mark.parametrize(
    "path", ["/budgets/{slug}/export.pb", "/api/v1/budgets/editions/{slug}/export.pb"]
)
def test_anyone_downloads_a_published_edition_after_its_vote(client, path):
    edition = _edition("results")
    response = client.get(path.format(slug=edition.slug))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert f'filename="{edition.slug}.pb"' in response["Content-Disposition"]
    pb = parse(response.content)
    assert (pb.meta["num_projects"], pb.meta["num_votes"]) == ("2", "2")


@pytest.mark.parametrize(
    "path", ["/budgets/{slug}/export.pb", "/api/v1/budgets/editions/{slug}/export.pb"]
)
def test_the_download_is_refused_during_the_vote_and_for_a_draft(client, path):
    during = _edition("vote")
    response = client.get(path.format(slug=during.slug))
    assert response.status_code == 403
    assert b"once the vote is over" in response.content
    draft = _edition("results", is_published=False)
    assert client.get(path.format(slug=draft.slug)).status_code == 404
    assert client.get(path.format(slug="nothing-here")).status_code == 404
    # Its planners download a draft whose vote is over (an imported edition).
    client.force_login(user_with_role(Role.PLANNER, territory=draft.territory))
    assert client.get(path.format(slug=draft.slug)).status_code == 200
    during.phases.filter(kind="vote").update(ends_at=timezone.now())
    assert client.get(path.format(slug=during.slug)).status_code == 200


@pytest.mark.french
def test_the_page_speaks_french(client, planner):
    user, territory = planner
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    bad = APPROVAL.replace("v2;3", "v2;9")
    response = client.post(IMPORT_PAGE, {"territory": territory.pk, "file": upload(bad)})
    html = response.content.decode()
    assert "Importer une édition depuis un fichier Pabulib" in html
    assert "ligne 16 : le vote cite un projet inconnu 9" in html
