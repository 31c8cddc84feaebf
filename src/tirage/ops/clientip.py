"""The visitor's IP address, behind ``TIRAGE_PROXY_COUNT`` reverse proxies.

Without a proxy it is ``REMOTE_ADDR``. Each proxy appends to ``X-Forwarded-For``
the address it received the request from, so behind N proxies the visitor is
the N-th address from the right; whatever stands further left was sent by the
visitor and can be forged. Used for lockouts (django-axes) and rate limits.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        # Fewer hops than declared: the request skipped a proxy; trust only the socket.
        return remote
    return forwarded[-count]
