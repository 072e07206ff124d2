"""Exactly once over an unreliable network: the Idempotency-Key of a JSON POST.

A kecamatan app on mobile data often cannot tell whether its POST arrived. Sent
again with the same `Idempotency-Key`, the request gets the first answer back
(with `Idempotent-Replayed: true`) and nothing is stored twice, also when both
arrive at the same moment: the key is claimed by a row under a unique
constraint in the request's own transaction, so a concurrent twin waits for the
first to commit (PostgreSQL's unique index; SQLite's IMMEDIATE transactions)
and then replays its answer. Without the header a POST is simply processed.
"""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import ratelimit
from core.api import ApiError
from core.models import IdempotentResponse

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255


def _key(request):
    key = request.headers.get(HEADER, "").strip()
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ApiError.one(
            422,
            "invalid",
            _("The Idempotency-Key must be at most 255 printable characters."),
            field=HEADER,
        )
    return key


def _replay(row, fingerprint):
    if row.fingerprint != fingerprint:
        raise ApiError.one(
            422,
            "idempotency_key_reused",
            _("This Idempotency-Key was already used for a different request."),
            field=HEADER,
        )
    return row.status_code, row.body, True


def run_once(request, scope, handler, fingerprint=None):
    """(status, body, replayed) of `handler()` (which returns status and body), once per key.

    `fingerprint` tells a retry from another request; by default the body's hash (a
    multipart request passes its own: each retry may come with another boundary).

    An ApiError raised by the handler is an answer like any other: it is kept and
    replayed too, so a retry of a refused request is refused the same way.
    """
    key = _key(request)

    def answer():
        try:
            return handler()
        except ApiError as exc:
            return exc.status, {"errors": exc.errors}

    if not key:
        status, body = answer()
        return status, body, False
    token = getattr(request, "api_token", None)
    # A staff client is its token, wherever it calls from; the public is its address.
    client = f"token:{token.pk}" if token is not None else ratelimit.client_key(request)
    fingerprint = fingerprint or hashlib.sha256(request.body).hexdigest()
    lookup = {"scope": scope, "client": client, "key": key}
    existing = IdempotentResponse.objects.filter(**lookup).first()
    if existing is not None:
        return _replay(existing, fingerprint)
    try:
        with transaction.atomic():
            row = IdempotentResponse.objects.create(
                **lookup, fingerprint=fingerprint, status_code=0, body={}
            )
    except IntegrityError:
        # A twin with the same key committed meanwhile: its answer is the answer.
        return _replay(IdempotentResponse.objects.get(**lookup), fingerprint)
    status, body = answer()
    row.status_code = status
    row.body = json.loads(json.dumps(body, default=str))
    row.save(update_fields=["status_code", "body"])
    return status, body, False


def forget_old_answers(hours):
    """Delete kept answers older than `hours`: a retry comes within minutes, not days."""
    import datetime

    from django.utils import timezone

    since = timezone.now() - datetime.timedelta(hours=hours)
    deleted, _by_model = IdempotentResponse.objects.filter(created_at__lt=since).delete()
    return deleted
