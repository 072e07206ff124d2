"""Writing one imported row: through the same services as the staff entry, with provenance.

`sme_registry.imports` reads and checks the rows; this is where a checked row
becomes a record. A new business goes through `register_business`, a change
to a known one through `update_business`; both send it into the validation
workflow. The provenance (batch, file, row, who, when) is a log entry in the
record's history. Importing as validated approves every review step in the
importer's name, which only holders of `sme_registry.import_as_validated`
may ask for, and writes an audit entry.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from core import audit
from sme_registry import transitions
from sme_registry.enums import ReviewAction, Status
from sme_registry.models import Source
from sme_registry.services.registration import (
    register_business,
    save_owner_changes,
    update_business,
)

IMPORT_ACTION = "sme_registry.import"
IMPORT_VALIDATED = "sme_registry.import_validated"
IMPORT_AS_VALIDATED = "sme_registry.import_as_validated"
# More steps than any workflow the office would set up: a loop that cannot end.
_MAX_STEPS = 10


def may_import_as_validated(user):
    return bool(user and user.is_active and user.has_perm(IMPORT_AS_VALIDATED))


def _validate_imported(business, user, provenance):
    """Approve each review step in the importer's name; returns True when validated."""
    comment = _("Imported as validated (import #%(batch)s, row %(row)s).") % provenance
    for _step in range(_MAX_STEPS):
        if business.current_workflow_state is None:
            break
        if not transitions.review(business, user, ReviewAction.APPROVE, comment=comment):
            break
        business.refresh_from_db()
    validated = business.status == Status.VALIDATED and business.current_workflow_state is None
    audit.record(
        user,
        IMPORT_VALIDATED,
        business,
        batch=provenance["batch"],
        row=provenance["row"],
        file=provenance["file"],
        validated=validated,
    )
    return validated


@transaction.atomic
def import_row(registration, *, user, provenance, business=None, owner=None, as_validated=False):
    """Create or update one record from an import; returns (business, validated).

    `business` is the record the row updates (found by NIB or NIK), `owner` the
    registered owner of a new business found by NIK. `provenance` holds the
    batch id, the file name and the row number.
    """
    if as_validated and not may_import_as_validated(user):
        raise PermissionDenied
    if business is not None:
        update_business(business, registration, user=user)
        action_data = {**provenance, "change": "update"}
    else:
        if owner is not None:
            save_owner_changes(owner, registration.owner, user=user)
        business = register_business(
            registration, source=Source.IMPORT, entered_by=user, owner=owner
        )
        action_data = {**provenance, "change": "create"}
    log(business, IMPORT_ACTION, user=user, data=action_data)
    validated = _validate_imported(business, user, provenance) if as_validated else False
    return business, validated
