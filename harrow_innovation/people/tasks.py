from celery import shared_task

from .password_reset import password_reset_send


@shared_task(name="people.send_password_reset", acks_late=True)
def send_password_reset(request_id: int) -> None:
    password_reset_send(request_id=request_id)
