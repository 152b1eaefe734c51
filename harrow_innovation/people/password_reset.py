"""Password-reset requests: limited per address and per client, sent by a task.

The page a person sees is the same whether the address has an account, and
whether the request was refused for being one too many: it only ever says
"if that address belongs to an account, we have sent it a link". The email is
built and sent by a Celery task through the outbox, so the request takes the
same time either way.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from harrow_innovation.core.outbox import enqueue

from .emails import normalise_email
from .models import PasswordResetRequest

WINDOW = timedelta(hours=1)
KEEP = timedelta(days=1)  # long enough for a slow queue; rows older than this are pruned
SEND_TASK = "people.send_password_reset"
_LOCK_EMAIL, _LOCK_CLIENT = 7301, 7302  # advisory-lock classes for this module


@transaction.atomic
def password_reset_request(*, email: str, client_ip: str | None) -> PasswordResetRequest | None:
    """Record and enqueue a reset email, or None if this address or client has asked too often this hour."""
    email = normalise_email(email)
    _serialise(email=email, client_ip=client_ip)
    now = timezone.now()
    PasswordResetRequest.objects.filter(requested_at__lt=now - KEEP).delete()
    recent = PasswordResetRequest.objects.filter(requested_at__gte=now - WINDOW)
    if recent.filter(email=email).count() >= settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR:
        return None
    if client_ip and recent.filter(client_ip=client_ip).count() >= settings.PASSWORD_RESET_PER_CLIENT_PER_HOUR:
        return None
    row = PasswordResetRequest.objects.create(email=email, client_ip=client_ip, requested_at=now)
    enqueue(SEND_TASK, row.pk)
    return row


def _serialise(*, email: str, client_ip: str | None) -> None:
    # Two requests for one address (or from one client) at once would both count the same rows
    # and both pass. Always the address's lock first, then the client's, so no two requests wait
    # on each other in a cycle; held to the end of the transaction.
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [_LOCK_EMAIL, email])
        if client_ip:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [_LOCK_CLIENT, client_ip])


@transaction.atomic
def password_reset_send(*, request_id: int) -> bool:
    """Send the reset email for one request, once. True if this call sent it (or found no account to send to)."""
    from .forms import ResetRequestForm

    row = PasswordResetRequest.objects.select_for_update().filter(pk=request_id, sent_at__isnull=True).first()
    if row is None:
        return False  # already sent, or pruned
    form = ResetRequestForm(data={"email": row.email})
    if form.is_valid():
        site = urlparse(settings.SITE_URL)
        # Sends nothing when no active account has the address.
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            from_email=settings.DEFAULT_FROM_EMAIL,
        )
    row.sent_at = timezone.now()
    row.save(update_fields=["sent_at"])
    return True
