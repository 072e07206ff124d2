"""Private links for owners: signed, expiring, no account needed.

The token holds the owner's id and a fingerprint of the owner's current NIK
and e-mail, so a link stops working when those change; it never holds
personal data in readable form.
"""

import hashlib

from django.conf import settings
from django.core import signing

_SALT = "simbaumi.registry.owner-link"


def _fingerprint(owner):
    raw = f"{owner.pk}:{owner.nik}:{owner.email}:{settings.SECRET_KEY}".encode()
    return hashlib.sha256(raw).hexdigest()[:16]


def make_owner_token(owner):
    return signing.dumps({"o": owner.pk, "f": _fingerprint(owner)}, salt=_SALT, compress=True)


def owner_for_token(token):
    """The owner a genuine, unexpired token names, or None."""
    from sme_registry.models import Owner

    try:
        data = signing.loads(token, salt=_SALT, max_age=settings.OWNER_LINK_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    owner = Owner.objects.filter(pk=data.get("o")).first()
    if owner is None or data.get("f") != _fingerprint(owner):
        return None
    return owner


def owner_link(owner, page, request=None):
    """The absolute private address of the owner's update page."""
    path = page.url + page.reverse_subpage("update_home", args=[make_owner_token(owner)])
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
