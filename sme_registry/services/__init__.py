"""Write-side rules of the registry, by subdomain; state changes are in `transitions`.

The public form, the staff entry, the owner's update link, imports, the API,
commands and the demo seed all call these functions.
"""

from sme_registry.services.directory import DIRECTORY_OPT_OUT, withdraw_from_directory
from sme_registry.services.housekeeping import (
    purge_import_data,
    purge_orphan_files,
    purge_stale_drafts,
    remind_stale_businesses,
)
from sme_registry.services.imports import IMPORT_ACTION, IMPORT_VALIDATED, import_row
from sme_registry.services.mentoring import assign_mentor, record_mentoring_visit
from sme_registry.services.registration import (
    BUSINESS_FIELDS,
    OWNER_FIELDS,
    RegistrationInput,
    confirm_by_owner,
    new_tracking_code,
    register_business,
    save_owner_changes,
    update_business,
    update_by_owner,
)
from sme_registry.services.snapshots import SNAPSHOT_FIELDS, take_snapshot

__all__ = [
    "BUSINESS_FIELDS",
    "DIRECTORY_OPT_OUT",
    "IMPORT_ACTION",
    "IMPORT_VALIDATED",
    "OWNER_FIELDS",
    "SNAPSHOT_FIELDS",
    "RegistrationInput",
    "assign_mentor",
    "confirm_by_owner",
    "import_row",
    "new_tracking_code",
    "purge_import_data",
    "purge_orphan_files",
    "purge_stale_drafts",
    "record_mentoring_visit",
    "register_business",
    "remind_stale_businesses",
    "save_owner_changes",
    "take_snapshot",
    "update_business",
    "update_by_owner",
    "withdraw_from_directory",
]
