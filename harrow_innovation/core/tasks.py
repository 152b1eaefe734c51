from celery import shared_task


@shared_task(name="core.ping")
def ping() -> str:
    """Answers 'pong': lets health checks and tests see a worker consume a task."""
    return "pong"
