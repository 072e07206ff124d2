"""The import's phases as background tasks, run by `manage.py db_worker` in production."""

from django_tasks import task

from django.db import transaction


def _batch(batch_id):
    from sme_registry.models import ImportBatch

    return ImportBatch.objects.select_related("created_by").filter(pk=batch_id).first()


@task()
def check_import(batch_id):
    """Read the file and run the dry run (or resume it)."""
    from sme_registry.imports import batches

    batch = _batch(batch_id)
    if batch is not None and batch.state in (batch.State.READING, batch.State.CHECKING):
        batches.check(batch)


@task()
def apply_import(batch_id):
    """Write the rows the dry run accepted (or resume writing them)."""
    from sme_registry.imports import batches

    batch = _batch(batch_id)
    if batch is not None and batch.state == batch.State.APPLYING:
        batches.apply(batch)


def start_check(batch):
    """Mark the batch as being checked and queue the work once the marking is committed."""
    _start(batch, batch.State.READING if not batch.rows_total else batch.State.CHECKING)
    transaction.on_commit(lambda: check_import.enqueue(batch.pk))


def start_apply(batch):
    _start(batch, batch.State.APPLYING)
    transaction.on_commit(lambda: apply_import.enqueue(batch.pk))


def _start(batch, state):
    batch.state, batch.cancel_requested, batch.error = state, False, ""
    batch.save(update_fields=["state", "cancel_requested", "error", "updated_at"])
