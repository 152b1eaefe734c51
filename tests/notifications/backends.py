"""Test email backends."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class BouncingBackend(EmailBackend):
    """The locmem backend, except that any address containing "bounce" is refused like an SMTP server would."""

    def send_messages(self, messages):
        for message in messages:
            bad = [address for address in message.to if "bounce" in address]
            if bad:
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(bad, (550, b"5.1.1 No such user")))
        return super().send_messages(messages)


class BrokenServerBackend(EmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
