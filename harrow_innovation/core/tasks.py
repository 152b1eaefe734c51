from celery import shared_task


@shared_task(name="core.ping")
def ping() -> str:
    """Answers 'pong': lets health checks and tests see a worker consume a task."""
    return "pong"


@shared_task(name="core.drain_outbox", acks_late=True)
def drain_outbox() -> int:
    """Publish tasks that could not be handed to the broker when they were created."""
    from .outbox import drain

    return drain()


@shared_task(name="core.prune_outbox", acks_late=True)
def prune_outbox() -> int:
    """Delete outbox rows delivered longer ago than OUTBOX_RETENTION_DAYS."""
    from .outbox import prune

    return prune()
