"""Personal API tokens: Wagtail's own (`wagtailcore.APIToken`), with an expiry and a role check.

Wagtail makes, hashes (HMAC-SHA-256), shows once, revokes and audit-logs
tokens (Settings → API tokens). This module adds what the office needs on top:
a token stops working `API_TOKEN_MAX_AGE_DAYS` after it was made, and only
while its owner may still sign in to the admin. A token acts as its owner:
the registry API asks the same permission policies as the admin with
`request.user` set to the owner, so it never does more than they could there.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.log_actions import log
from wagtail.models import APIToken

CREATE_ACTION = "wagtail.apitoken.create"


def max_age():
    return datetime.timedelta(days=settings.API_TOKEN_MAX_AGE_DAYS)


def expires_at(token):
    return token.created + max_age()


def is_expired(token, now=None):
    return expires_at(token) <= (now or timezone.now())


def may_use_tokens(user):
    """Staff who may still sign in to the admin; a token outlives no one's access."""
    return bool(
        user.is_authenticated and user.is_active and user.has_perm("wagtailadmin.access_admin")
    )


def issue(user, *, name, by=None):
    """A new token for `user`, logged like one made in the admin: (token, plaintext)."""
    token, plaintext = APIToken.create_token(user=user, name=name)
    log(token, CREATE_ACTION, user=by or user)
    return token, plaintext


class TokenAuth(BearerTokenAuth):
    """`Authorization: Bearer <token>`; refused once expired or when the owner lost access."""

    openapi_description = (
        "A personal API token, made under Settings → API tokens in the admin. It acts "
        "with its owner's role and kecamatan, and stops working when revoked, when it "
        "expires, or when its owner may no longer sign in."
    )

    def authenticate(self, request, token):
        found = super().authenticate(request, token)
        if found is None:
            return None
        if is_expired(found) or not may_use_tokens(found.user):
            request.user = AnonymousUser()
            return None
        request.api_token = found
        return found
