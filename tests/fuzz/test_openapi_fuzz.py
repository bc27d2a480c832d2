# SPDX-License-Identifier: AGPL-3.0-or-later
"""The whole OpenAPI schema fuzzed by schemathesis, anonymously and as each role: no
answer is a server error, and none contradicts the schema (status code, content type,
body).

The requests go to the Django WSGI application in this process, inside the test's
transaction on the demo world; some are built from the schema's examples, some name real
objects of that world in their path (the concertation, an idea, a comment, a workshop…),
so that the fuzzer reaches past the 404s; the others are generated, valid or not.
Bounded and deterministic: a fixed number of examples per operation, derandomised.
Jobs the API starts (bilans, offline packages, printed maps) are enqueued on commit,
which this transaction never reaches: no worker is needed.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import strategies
from rest_framework import throttling
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.modes import GenerationMode

from carto_concertation.accounts.models import User
from carto_concertation.budgets.models import Project
from carto_concertation.contributions.comments import comment_create
from carto_concertation.contributions.planning.answer_templates import answer_template_create
from carto_concertation.surveys.models import Question, Questionnaire
from carto_concertation.territories.models import Commune
from carto_concertation.workshops.services import workshop_create
from plui_documents.models import DocumentPiece, UrbanDocument
from tests.factories import UserFactory
from tests.worlds import make_idea

pytestmark = pytest.mark.django_db

# Examples per operation and identity: 6 identities x every operation of the schema (165
# today) x this, in one and a half to three minutes on two cores.
MAX_EXAMPLES = 6
CSRF = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz"  # 32 characters: a CSRF secret Django takes
ROLES = {
    "anonymous": None,
    "resident": "habitant@demo.invalid",
    "moderator": "moderation@demo.invalid",
    "planner": "urbanisme@demo.invalid",
    "relay": "relais@demo.invalid",
    "administrator": "admin@demo.invalid",
}
# How many operations, at the least, answered one of the requests with a 2xx (about 17,
# 24, 26, 40, 30 and 41 with the seed of today): the requests get past the refusals, and
# a signed-in identity is one (its session and CSRF token taken).
MIN_ACCEPTED = {
    "anonymous": 14,
    "resident": 20,
    "moderator": 22,
    "planner": 34,
    "relay": 25,
    "administrator": 34,
}
CONFIG = {
    "generation": {
        "allow-x00": True,  # NUL bytes in strings, paths and queries too
        "with-security-parameters": False,  # the session cookie is the identity's
    },
}
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@dataclass
class Identity:
    role: str
    cookies: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    path_values: dict = field(default_factory=dict)
    # Path parameters of one part of the API: {part of the path: {name: value}}, before those
    # of path_values (a budget's "slug" is an edition's, not a concertation's).
    scoped: dict = field(default_factory=dict)


@contextmanager
def connection_kept():
    """The test's connection (and its transaction) kept open across the requests of
    Django's WSGI application, as Django's test client does at each of its own."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def unthrottled(monkeypatch):
    """The API's rate limits raised for the run: the fuzzer sends hundreds of requests a
    minute as one person from one address (the limits have tests of their own)."""
    monkeypatch.setattr(
        throttling.SimpleRateThrottle,
        "THROTTLE_RATES",
        dict.fromkeys(throttling.SimpleRateThrottle.THROTTLE_RATES, "100000/minute"),
    )


@pytest.fixture
def api_schema(client, unthrottled, identity):
    """The served schema, loaded once per identity (whose parameters make one test each)."""
    document = client.get("/api/v1/schema/", {"format": "json"}).json()
    schema = schemathesis.openapi.from_dict(document, config=SchemathesisConfig.from_dict(CONFIG))
    schema.app = get_wsgi_application()
    return schema


@pytest.fixture
def identity(request, client, open_concertation) -> Identity:
    """Who sends the requests (a session cookie and its CSRF token), and the real
    objects of the demo world that a third of the requests name in their path."""
    identity = Identity(role=request.param)
    email = ROLES[request.param]
    if email is not None:
        client.force_login(User.objects.get(email=email))
        identity.cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}
        identity.headers = {"X-CSRFToken": CSRF}
    relay = User.objects.get(email="relais@demo.invalid")
    planner = User.objects.get(email="urbanisme@demo.invalid")
    idea = make_idea(open_concertation, UserFactory())
    comment = comment_create(contribution=idea, author=UserFactory(), text="Bonne idée")
    workshop = workshop_create(
        user=relay,
        concertation=open_concertation,
        commune=Commune.objects.get(insee="18242"),
        starts_at=timezone.now() + timedelta(days=2),
        place="Salle des fêtes",
        facilitator="Relais",
    )
    template = answer_template_create(
        concertation=open_concertation,
        user=planner,
        title="Étudiée",
        status="under_study",
        text="Le service étudie votre idée.",
        service="Urbanisme",
    )
    document = UrbanDocument.objects.get()
    identity.path_values = {
        "concertation_slug": open_concertation.slug,
        "slug": open_concertation.slug,
        "siren": open_concertation.territory.siren,
        "insee": "18242",
        "idurba": document.idurba,
        "/contributions/{id}": idea.pk,
        "/comments/{id}": comment.pk,
        "/workshops/{id}": workshop.pk,
        "/answer-templates/{id}": template.pk,
        "/pieces/{id}": DocumentPiece.objects.order_by("pk").first().pk,
    }
    # The demo's edition in its vote, and one of its projects on the ballot.
    project = Project.objects.filter(
        edition__territory=open_concertation.territory, status=Project.Status.ON_BALLOT
    ).first()
    # The demo's open questionnaire, its first map question and its first page.
    questionnaire = Questionnaire.objects.get(slug="plan-velo-des-trois-provinces")
    map_question = (
        Question.objects.filter(page__questionnaire=questionnaire, kind__in=Question.MAP_KINDS)
        .order_by("page__position", "position")
        .first()
    )
    identity.scoped = {
        "/budgets/": {"slug": project.edition.slug, "number": project.number},
        "/surveys/": {
            "slug": questionnaire.slug,
            "code": map_question.code,
            "pk": questionnaire.pages.order_by("position").first().pk,
        },
        # The demo's market garden, in campaign: its figures, news and followers.
        "/crowdfunding/": {"slug": "maraichage-bio-mornay-sur-allier"},
    }
    return identity


def _real_path(operation, identity: Identity) -> dict:
    """The operation's path parameters naming real objects of the demo world."""
    values = {}
    scoped = next((v for part, v in identity.scoped.items() if part in operation.path), {})
    for name in _path_parameter_names(operation):
        if name == "id":
            value = next(
                (v for key, v in identity.path_values.items() if f"{key}/" in operation.path + "/"),
                None,
            )
        else:
            value = scoped.get(name, identity.path_values.get(name))
        if value is not None:
            values[name] = value
    return values


def _path_parameter_names(operation) -> list[str]:
    return [part.strip("{}").split("}")[0] for part in operation.path.split("{")[1:]]


def _cases(operation, identity: Identity):
    """Requests built from the schema's examples and valid ones naming real objects,
    valid ones naming whatever was generated, and invalid ones (negative mode)."""
    real = _real_path(operation, identity)
    return strategies.one_of(
        *operation.get_strategies_from_examples(fill_missing=True, path_parameters=real),
        operation.as_strategy(GenerationMode.POSITIVE, path_parameters=real),
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )


def bounded(max_examples: int) -> hypothesis.settings:
    """Bounded and deterministic: so many examples, derandomised, no example database."""
    return hypothesis.settings(
        max_examples=max_examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )


def fuzzed(operation, fuzz, failures: list[str]) -> None:
    """Each operation in a savepoint: what one changed, or a database error it left,
    does not reach the next; every operation's failures are reported together."""
    try:
        with connection_kept(), transaction.atomic():
            fuzz()
    except (Exception, BaseExceptionGroup) as exc:
        failures.append(f"{operation.label}: {exc}")


@pytest.mark.parametrize("identity", list(ROLES), indirect=True)
def test_no_server_error_and_no_answer_beside_the_schema(api_schema, identity):
    failures = []
    accepted = set()
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 50

    for operation in operations:

        @hypothesis.given(case=_cases(operation, identity))
        @bounded(MAX_EXAMPLES)
        def fuzz(case):
            # schemathesis' WSGI transport announces gzip, as requests does, but reads the
            # body as it comes: the answers are asked for uncompressed.
            headers = {"Accept-Encoding": "identity", **identity.headers}
            response = case.call(headers=headers, cookies=identity.cookies)
            if response.status_code < 300:
                accepted.add(case.operation.label)
            case.validate_response(response, checks=CHECKS, headers=identity.headers)

        fuzzed(operation, fuzz, failures)
    assert not failures, "\n\n".join(failures)
    # The fuzzer got past the refusals: some operations answered a request as asked.
    assert len(accepted) >= MIN_ACCEPTED[identity.role], sorted(accepted)
