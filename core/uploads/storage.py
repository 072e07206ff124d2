"""Files that live exactly as long as the database rows that name them.

A file is written before the row that refers to it can be saved. If the
transaction is then rolled back (an error later in the request, a lost race
on the row, a failed commit), the row is gone but the file would stay, named
by nothing and never deleted. ``save_in_transaction`` ties the file to the
transaction: it is kept when the transaction commits and deleted when it is
rolled back. Django has no rollback hook, but it documents that on-commit
callbacks are discarded on rollback: the callback registered here marks the
file as kept when it runs, and a finaliser on it deletes the file when it is
discarded without having run. ``delete_on_commit`` is the other half: a file
replaced by a new one goes only once the replacement is committed.

A sweep (``sme_registry.services.housekeeping.purge_orphan_files``) still
removes, after a grace period, whatever a crashed process left behind.
"""

from __future__ import annotations

import logging
import weakref

from django.db import transaction

logger = logging.getLogger(__name__)


def delete_quietly(storage, name: str) -> None:
    """Delete a stored file; a failure is logged and left for the sweep."""
    try:
        if name and storage.exists(name):
            storage.delete(name)
    except OSError:
        logger.warning("Could not delete %s; the orphan sweep will.", name)


class _KeepOnCommit:
    def __init__(self):
        self.state = {"kept": False}

    def __call__(self):
        self.state["kept"] = True


def _delete_unless_kept(state, storage, name):
    if not state["kept"]:
        delete_quietly(storage, name)


def save_in_transaction(storage, name: str, content, using=None) -> str:
    """Save ``content`` and return its stored name; it is deleted if the transaction rolls back.

    Outside a transaction (autocommit) the file is simply kept.
    """
    stored = storage.save(name, content)
    if transaction.get_connection(using).in_atomic_block:
        keep = _KeepOnCommit()
        weakref.finalize(keep, _delete_unless_kept, keep.state, storage, stored)
        transaction.on_commit(keep, using=using)
    return stored


def delete_on_commit(storage, name: str, using=None) -> None:
    """Delete a stored file once the transaction that stopped referring to it commits."""
    if name:
        transaction.on_commit(lambda: delete_quietly(storage, name), using=using, robust=True)
