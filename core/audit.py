"""The audit trail of personal-data views, NIK searches and exports.

Each event goes to the `simbaumi.audit` logger (ship it to durable storage in
production) and to Wagtail's log: on the record's history when it concerns one
record, otherwise as an entry for the model (a list export). Only holders of
`core.view_audit_trail` see these entries in the site history.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import capfirst

from wagtail.log_actions import log

audit_log = logging.getLogger("simbaumi.audit")

VIEW_PII = "sme_registry.view_pii"
NIK_SEARCH = "sme_registry.nik_search"
EXPORT = "sme_registry.export"
UNLOCK_SIGN_IN = "core.unlock_sign_in"

AUDITED_ACTIONS = (VIEW_PII, NIK_SEARCH, EXPORT, UNLOCK_SIGN_IN)


def _json(value):
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


def record(user, action, instance=None, *, model=None, **data):
    """Write one audit event; `instance` for one record, `model` for a list (an export)."""
    if instance is not None:
        target = f"{type(instance).__name__.lower()}:{instance.pk}"
    elif model is not None:
        target = model._meta.model_name
    else:
        target = "-"
    details = " ".join(f"{key}={value!r}" for key, value in sorted(data.items()))
    audit_log.info("%s user=%s object=%s %s", action, getattr(user, "pk", None), target, details)
    data = {key: _json(value) for key, value in data.items()}
    if instance is not None:
        log(instance, action, user=user, data=data)
    elif model is not None:
        from core.models import RecordLogEntry

        RecordLogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(model),
            object_id="",
            label=capfirst(str(model._meta.verbose_name_plural)),
            action=action,
            timestamp=timezone.now(),
            user=user if getattr(user, "pk", None) else None,
            data=data,
        )
