# SPDX-License-Identifier: AGPL-3.0-or-later
"""/ogc/api is a valid OpenAPI 3.0 document declaring what the ETS and GDAL read, and
schemathesis, fuzzing /ogc/ against it, finds no server error and no answer beside it
(status, content type, body)."""

import hypothesis
import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import strategies
from openapi_spec_validator import validate
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.modes import GenerationMode

from carto_concertation.opendata.collections import collections
from tests.factories import TerritoryFactory
from tests.fuzz.test_openapi_fuzz import CHECKS, CONFIG, bounded, fuzzed

pytestmark = pytest.mark.django_db
MAX_EXAMPLES = 40


def test_the_document_is_valid_and_declares_the_parameters(client):
    document = client.get("/ogc/api").json()
    validate(document)
    items = document["paths"]["/collections/{collectionId}/items"]["get"]
    parameters = document["components"]["parameters"]
    declared = {parameters[p["$ref"].rsplit("/", 1)[1]]["name"] for p in items["parameters"]}
    assert declared == {
        "collectionId", "f", "limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "territoire"
    }  # fmt: skip
    limit = parameters["limit"]
    assert limit["in"] == "query" and not limit["required"]
    assert (limit["style"], limit["explode"]) == ("form", False)
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 10000, "default": 10}
    assert set(items["responses"]) == {"200", "400", "404", "429"}
    assert document["servers"][0]["url"] == "http://testserver/ogc"
    assert parameters["collectionId"]["schema"]["enum"] == [c.id for c in collections()]


@pytest.fixture
def heavy_reads_unlimited(settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "heavy_read": "100000/minute"},
    }


def test_fuzzed_requests_get_no_server_error_and_no_answer_beside_the_schema(
    client, heavy_reads_unlimited
):
    commune = TerritoryFactory(communes=3).communes.order_by("pk").first()
    document = client.get("/ogc/api").json()
    schema = schemathesis.openapi.from_dict(document, config=SchemathesisConfig.from_dict(CONFIG))
    schema.app = get_wsgi_application()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 11
    failures = []
    accepted = set()
    for operation in operations:
        real = {"collectionId": "communes", "featureId": str(commune.pk)}
        real = {k: v for k, v in real.items() if f"{{{k}}}" in operation.path}

        @hypothesis.given(
            case=strategies.one_of(
                operation.as_strategy(GenerationMode.POSITIVE, path_parameters=real),
                operation.as_strategy(GenerationMode.POSITIVE),
                operation.as_strategy(GenerationMode.NEGATIVE),
            )
        )
        @bounded(MAX_EXAMPLES)
        def fuzz(case):
            response = case.call(headers={"Accept-Encoding": "identity"})
            if response.status_code < 300:
                accepted.add(case.operation.label)
            case.validate_response(response, checks=CHECKS)

        fuzzed(operation, fuzz, failures)
    assert not failures, "\n\n".join(failures)
    # The fuzzer got past the refusals: every operation answered some request as asked.
    assert len(accepted) == len(operations), sorted(accepted)
