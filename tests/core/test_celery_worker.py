import pytest
from celery.result import EagerResult

from harrow_innovation.core.tasks import ping
from tests.celery_helpers import real_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_consumes_a_task_from_redis():
    with real_worker():
        result = ping.delay()
        assert not isinstance(result, EagerResult)
        assert result.get(timeout=20) == "pong"
        assert result.successful()
