"""A per-client rate limit on the default cache.

With several gunicorn workers, point CACHE_URL at a shared cache (Redis or a
file cache) so that the workers count together; see the README.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_key(request):
    header = getattr(settings, "RATELIMIT_CLIENT_IP_HEADER", "")
    ip = ""
    if header:
        ip = request.META.get(header, "").split(",")[0].strip()
    ip = ip or request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(ip.encode()).hexdigest()[:24]


def is_limited(request, scope, limit, window_seconds):
    """Count one hit for this client and scope; True once the limit is passed."""
    key = f"rl:{scope}:{client_key(request)}"
    if cache.add(key, 1, timeout=window_seconds):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return False
    return count > limit
