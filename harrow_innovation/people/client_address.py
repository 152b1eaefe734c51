"""The address a request came from, the one rule sign-in and password-reset throttling share.

Behind the TLS proxy every connection comes from the proxy, so ``REMOTE_ADDR``
would put every member of staff in one bucket and let anyone lock out anyone.
With ``CLIENT_PROXY_COUNT`` proxies in front (env ``AXES_PROXY_COUNT``), each
proxy appends the address it received the request from to ``X-Forwarded-For``;
the entry that many places from the right was written by our outermost proxy,
so a client cannot forge it. Entries further left are whatever the client sent.
django-axes reads it through ``AXES_CLIENT_IP_CALLABLE``: its own proxy settings
need django-ipware, which is not installed, and would silently do nothing.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "CLIENT_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote  # did not pass through every proxy: nothing in the header can be trusted
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote  # a malformed entry: never store it, and never fail the request over it
