# SPDX-License-Identifier: AGPL-3.0-or-later
"""The refusals the schema declares per operation (issue 23, faults): an upload may be
refused whole with a 413 (no room for it: core.middleware.media_full_answer), a write
with a 503 (a service away: core.outages)."""

import pytest
from drf_spectacular.generators import SchemaGenerator

UPLOADS = {
    ("post", "/api/v1/concertations/{concertation_slug}/contributions/"),  # photos
    ("post", "/api/v1/concertations/{concertation_slug}/contributions/{id}/photos/"),
    ("post", "/api/v1/signalements/reports"),
    ("post", "/api/v1/workshops/{id}/paper-import"),
    ("post", "/api/v1/surveys/questionnaire-import"),
    ("post", "/api/v1/budgets/import"),
    ("post", "/api/v1/crowdfunding/projects/{slug}/funding-import"),
}
WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def operations() -> dict[tuple[str, str], dict]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method, path): operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if method != "parameters"
    }


def test_every_upload_declares_its_413(operations):
    for key in UPLOADS:
        refused = operations[key]["responses"].get("413")
        assert refused, key
        assert "application/json" in refused["content"]
        assert refused["description"].startswith("Plus de place sur le serveur pour le fichier")


def test_only_operations_taking_a_file_declare_a_413(operations):
    declaring = {key for key, operation in operations.items() if "413" in operation["responses"]}
    assert declaring >= UPLOADS
    for key in declaring:
        body = operations[key]["requestBody"]["content"]
        assert "multipart/form-data" in body, key
    assert ("put", "/api/v1/concertations/{concertation_slug}/contributions/{id}/vote") not in (
        declaring
    )
    assert len(declaring) < len(operations) / 4


def test_every_write_declares_its_503_and_no_read_does(operations):
    for (method, path), operation in operations.items():
        assert ("503" in operation["responses"]) == (method in WRITES), (method, path)
