"""Private links for owners: signed, expiring, no account needed.

The token holds the owner's id and a fingerprint of the owner's current NIK
and e-mail, so a link stops working when those change; it never holds
personal data in readable form.
"""

import base64
import binascii
import hashlib
from urllib.parse import quote

from django.conf import settings
from django.core import signing

from core.links import absolute_url

_SALT = "simbaumi.registry.owner-link"


def link_days():
    """How many days an owner's link works (OWNER_LINK_MAX_AGE_SECONDS), as its messages say."""
    return max(1, settings.OWNER_LINK_MAX_AGE_SECONDS // 86400)


def _fingerprint(owner):
    raw = f"{owner.pk}:{owner.nik}:{owner.email}:{settings.SECRET_KEY}".encode()
    return hashlib.sha256(raw).hexdigest()[:16]


def make_owner_token(owner):
    signed = signing.dumps({"o": owner.pk, "f": _fingerprint(owner)}, salt=_SALT, compress=True)
    # Wagtail serves page sub-paths made of letters, digits, "_" and "-" only.
    return base64.urlsafe_b64encode(signed.encode()).decode().rstrip("=")


def owner_for_token(token):
    """The owner a genuine, unexpired token names, or None."""
    from sme_registry.models import Owner

    try:
        signed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        data = signing.loads(signed, salt=_SALT, max_age=settings.OWNER_LINK_MAX_AGE_SECONDS)
    except (binascii.Error, UnicodeDecodeError, ValueError, signing.BadSignature):
        return None
    owner = Owner.objects.filter(pk=data.get("o")).first()
    if owner is None or data.get("f") != _fingerprint(owner):
        return None
    return owner


def owner_link(owner, page, request=None):
    """The absolute private address of the owner's update page."""
    path = page.url + page.reverse_subpage("update_home", args=[make_owner_token(owner)])
    return absolute_url(path, request)


def outreach_link(session, request=None):
    """The absolute short link of an outreach session, as printed on its poster."""
    from django.urls import reverse

    path = reverse("sme_registry_outreach_link", args=[session.referral_code])
    return absolute_url(path, request)


def whatsapp_url(phone, message):
    """A wa.me link that opens a chat with `phone` and `message` ready to send ("" without a phone)."""
    from sme_registry import validators

    if not phone:
        return ""
    return f"https://wa.me/{validators.whatsapp_number(phone)}?text={quote(message)}"
