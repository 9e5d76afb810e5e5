import json

import pytest
from django.db import connections

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_login_with_each_dependency(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "worker"}
    # In tests Celery runs in-process and the cache is this process's memory.
    assert body["checks"]["broker"]["kind"] == "in-process"
    assert body["checks"]["cache"]["kind"] == "local"
    assert "sessionid" not in response.cookies


def test_healthz_says_the_database_is_down_with_503(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    checks = json.loads(response.content)["checks"]
    assert checks["database"] == {
        "status": "down",
        "error": "OSError",
        "ms": checks["database"]["ms"],
    }
    assert checks["cache"]["status"] == "ok"


def test_healthz_reports_a_stale_worker(client, settings, monkeypatch):
    import time

    from django.core.cache import cache

    from common import health

    class Conf:
        task_always_eager = False
        broker_url = "memory://"

    monkeypatch.setattr(health, "_celery_conf", lambda: Conf)
    cache.set(health.HEARTBEAT_KEY, time.time() - 3600)
    response = client.get("/healthz")
    checks = json.loads(response.content)["checks"]
    assert checks["worker"]["status"] == "stale" and response.status_code == 503
    health.beat()
    response = client.get("/healthz")
    assert json.loads(response.content)["checks"]["worker"]["status"] == "ok"
    assert response.status_code == 200


def test_healthz_answers_a_load_balancer_on_plain_http_by_address(client, settings):
    settings.ALLOWED_HOSTS = ["hoc.example.gov.vn"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400
