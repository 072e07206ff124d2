"""The audit trail of personal-data views, NIK searches and exports.

Each event goes to the `simbaumi.audit` logger (ship it to durable storage
in production) and, when it concerns one record, to Wagtail's own log so that it
shows in the record's history in the admin.
"""

import logging

from wagtail.log_actions import log

audit_log = logging.getLogger("simbaumi.audit")

VIEW_PII = "sme_registry.view_pii"
NIK_SEARCH = "sme_registry.nik_search"
EXPORT = "sme_registry.export"


def record(user, action, instance=None, **data):
    target = f"{type(instance).__name__.lower()}:{instance.pk}" if instance is not None else "-"
    details = " ".join(f"{key}={value!r}" for key, value in sorted(data.items()))
    audit_log.info("%s user=%s object=%s %s", action, getattr(user, "pk", None), target, details)
    if instance is not None:
        log(instance, action, user=user, data=data)
