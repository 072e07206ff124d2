"""Exports too big for a request: written by the background worker, fetched when ready.

An XLSX must be complete before its first byte is sent, and a large CSV takes longer
than a person waits on a page, so both become an `ExportJob`: the list's address and
filters are stored, and the worker (`manage.py db_worker`) opens the very same list
view as the requesting user to read its queryset. Scope, filters, columns and cell
rules are therefore those of the list and of `core.exports.Exporter`: one export
path. The file lands in private storage under `exports/`, is served only to its
requester, only until it expires, and each download is audited with its row count.
"""

import logging
import tempfile
import uuid

from django_tasks import task

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.urls import resolve, reverse
from django.utils import timezone, translation

from core.exports import Exporter, _Counted

logger = logging.getLogger(__name__)

PREFIX = "exports"
PROGRESS_EVERY = 1000


def storage():
    """Private storage (never served by the web server), the registry uploads' root."""
    return FileSystemStorage(
        location=settings.PRIVATE_MEDIA_ROOT,
        base_url=None,
        file_permissions_mode=0o640,
        directory_permissions_mode=0o750,
    )


def goes_to_background(export_format, queryset):
    """XLSX always; CSV when it has more rows than a request should stream."""
    if export_format == "xlsx":
        return True
    return queryset[: settings.EXPORT_INLINE_ROWS + 1].count() > settings.EXPORT_INLINE_ROWS


def start(request, label, export_format):
    """Queue the export of the list at `request` (its filters, its user); the job."""
    from core.models import ExportJob

    query = request.GET.copy()
    query.pop("export", None)
    job = ExportJob.objects.create(
        user=request.user,
        view_name=request.resolver_match.view_name,
        query=query.urlencode(),
        language=translation.get_language() or settings.LANGUAGE_CODE,
        file_format=export_format,
        label=str(label)[:200],
    )
    transaction.on_commit(lambda: write_export.enqueue(job.pk))
    return job


def _list_view(job):
    """The list view as the job's user would open it, ready to give its queryset."""
    path = reverse(job.view_name)
    match = resolve(path)
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(job.query)
    request.META = {"REQUEST_METHOD": "GET", "QUERY_STRING": job.query}
    request.user = job.user
    request.resolver_match = match
    view = match.func.view_class(**match.func.view_initkwargs)
    view.setup(request, *match.args, **match.kwargs)
    return view


@task()
def write_export(job_id):
    from core.models import ExportJob

    job = ExportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.state not in (ExportJob.State.QUEUED, ExportJob.State.RUNNING):
        return
    try:
        with translation.override(job.language):
            _write(job)
    except Exception:
        logger.exception("Export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.FAILED, finished_at=timezone.now()
        )


def _write(job):
    from core.models import ExportJob

    view = _list_view(job)
    queryset = view.get_queryset()
    exporter = Exporter(queryset.model, view.list_export, view.export_headings, view.get_filename())
    total = queryset.count()
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.RUNNING, rows_total=total, rows_done=0
    )

    def progress(count):
        ExportJob.objects.filter(pk=job.pk).update(rows_done=count)

    rows = _Counted(exporter.rows(queryset), every=PROGRESS_EVERY, on_progress=progress)
    name = f"{PREFIX}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{job.file_format}"
    with tempfile.TemporaryFile() as output:
        exporter.write(rows, job.file_format, output)
        output.seek(0)
        stored = storage().save(name, File(output))
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.DONE,
        rows_done=rows.count,
        rows_total=rows.count,
        file_name=stored,
        download_name=f"{exporter.filename}.{job.file_format}",
        finished_at=now,
        expires_at=now + timezone.timedelta(hours=settings.EXPORT_KEEP_HOURS),
    )


def purge_expired(now=None):
    """Delete the files of expired exports and their jobs; how many."""
    from core.models import ExportJob

    now = now or timezone.now()
    expired = ExportJob.objects.filter(expires_at__lt=now)
    files = storage()
    count = 0
    for job in expired.iterator():
        if job.file_name:
            files.delete(job.file_name)
        count += 1
    expired.delete()
    # Jobs the worker never finished (a crash): gone after a day too.
    stale = now - timezone.timedelta(hours=max(settings.EXPORT_KEEP_HOURS, 24))
    ExportJob.objects.filter(expires_at__isnull=True, created_at__lt=stale).delete()
    return count
