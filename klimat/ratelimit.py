"""A small fixed-window rate limit on the cache (Redis in production, shared by all workers).

Used by the sign-in link requests and the contact form. Keys are hashed, so addresses never sit
in the cache in clear text, and any character is safe in a key.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)

HOUR = 60 * 60


def hit(key: str, limit: int, window: int = HOUR) -> bool:
    """Count one attempt for `key`; True while at most `limit` attempts fall in the window.

    The window starts at the first attempt (cache.add) and the counter is raised atomically
    (cache.incr), so concurrent requests cannot both slip under the limit. If the cache is
    unreachable the attempt is allowed: losing a message or a sign-in because Redis is down
    would be worse than letting a few extra requests through for a while.
    """
    cache_key = "ratelimit:" + hashlib.sha256(key.encode()).hexdigest()
    try:
        if cache.add(cache_key, 1, timeout=window):
            return limit >= 1
        try:
            count = cache.incr(cache_key)
        except ValueError:  # the window expired between add() and incr(): start a new one
            cache.add(cache_key, 1, timeout=window)
            count = 1
    except Exception as error:  # one line per request during an outage, no traceback flood
        logger.warning("Rate-limit cache unavailable (%s); allowing the request", type(error).__name__)
        return True
    return count <= limit


def client_ip(request: HttpRequest) -> str:
    """The address the request came from.

    Directly on the WSGI server, REMOTE_ADDR. Behind our own reverse proxy (DJANGO_BEHIND_PROXY=1)
    every request comes from the proxy, so the last X-Forwarded-For hop is used: the one our
    proxy appended. Earlier hops are the client's own words and are never trusted.
    """
    if settings.BEHIND_PROXY:
        forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if forwarded:
            return forwarded[-1][:64]
    return str(request.META.get("REMOTE_ADDR") or "unknown")
