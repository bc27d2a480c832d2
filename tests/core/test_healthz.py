# SPDX-License-Identifier: AGPL-3.0-or-later
import pytest
from django.db import connection


@pytest.mark.django_db
def test_healthz_is_200_when_every_service_answers(client, celery_worker):
    response = client.get("/healthz")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT postgis_lib_version()")
        assert body["checks"]["postgis"]["version"] == cursor.fetchone()[0]
    assert body["checks"]["database"]["version"].startswith("15")
    assert body["checks"]["redis"]["ok"] is True
    assert any(name.startswith("test-") for name in body["checks"]["celery"]["workers"])
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_is_503_naming_redis_when_it_is_unreachable(client, broken_services):
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert set(body["failing"]) == {"redis", "celery"}
    assert "Connection" in body["checks"]["redis"]["error"]
    assert body["checks"]["database"]["ok"] is True
