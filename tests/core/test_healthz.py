import json

from django.db.utils import OperationalError

from harrow_innovation.core import health


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["database"] == "ok"
    assert body["broker"] in {"ok", "in-process", "unavailable"}
    assert "SECRET" not in response.content.decode().upper()


def test_healthz_is_503_when_the_database_does_not_answer(client, db, monkeypatch):
    class DownConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", DownConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unavailable"


def test_broker_state_with_redis(settings):
    from tests.services import need_redis

    need_redis()
    settings.REDIS_URL = settings.TEST_REDIS_URL
    assert health.broker_state() == "ok"
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    assert health.broker_state() == "unavailable"
