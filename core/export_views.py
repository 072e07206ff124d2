"""The requester's own background exports: progress while written, then the file."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, background_exports
from core.exports import CONTENT_TYPES
from core.models import ExportJob


def _own_job(request, pk):
    """Only the requester's: anyone else's export answers 404, whatever their role."""
    return get_object_or_404(ExportJob, pk=pk, user=request.user)


def _available(job):
    return job.state == ExportJob.State.DONE and job.expires_at > timezone.now()


def progress_view(request, pk):
    job = _own_job(request, pk)
    percent = None
    if job.rows_total:
        percent = min(100, round(100 * job.rows_done / job.rows_total))
    elif job.state == ExportJob.State.DONE:
        percent = 100
    return TemplateResponse(
        request,
        "core/export_progress.html",
        {
            "job": job,
            "percent": percent,
            "waiting": job.state in (ExportJob.State.QUEUED, ExportJob.State.RUNNING),
            "available": _available(job),
            "expired": job.state == ExportJob.State.DONE and not _available(job),
            "download_url": reverse("core_export_download", args=[job.pk]),
            "header_title": _("Export: %(label)s") % {"label": job.label},
            "header_icon": "download",
        },
    )


def download_view(request, pk):
    job = _own_job(request, pk)
    if not _available(job):
        raise Http404
    try:
        handle = background_exports.storage().open(job.file_name, "rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404 from missing
    model = _model_of(job)
    audit.record(
        request.user,
        audit.EXPORT,
        model=model,
        format=job.file_format,
        query=job.query or "-",
        rows=job.rows_done,
        written_in_background=True,
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=job.download_name,
        content_type=CONTENT_TYPES[job.file_format],
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _model_of(job):
    from django.urls import resolve

    view = resolve(reverse(job.view_name)).func
    return view.view_initkwargs.get("model") or getattr(view.view_class, "model", None)
