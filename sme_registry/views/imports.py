"""Registri UMKM → Impor: upload a file, map its columns, read the dry run, apply, follow progress.

Every view takes the batch through `import_batch_policy`: a batch outside the
user's scope answers 404; the office sees every batch but runs only its own
(403 on another's).
The work itself runs in background tasks (`sme_registry.imports.tasks`).
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from sme_registry import permissions
from sme_registry.imports import batches, fields, files, tasks, workbooks
from sme_registry.imports.rows import ROW
from sme_registry.models import Business, ImportBatch, ImportMapping, ImportRow
from sme_registry.services.imports import may_import_as_validated

State = ImportBatch.State
Outcome = ImportRow.Outcome
AUTO = "auto"
# A running batch whose progress has not moved for this long lost its worker.
STALLED_AFTER = datetime.timedelta(minutes=10)
REFUSED_EXPORT = "import_refused_rows"


def _policy():
    return permissions.import_batch_policy


def _batch(request, pk, action="change"):
    """The batch for `action`: 404 outside the user's scope, 403 when it may only be seen."""
    return _policy().get_object(
        request.user, action, ImportBatch.objects.select_related("created_by"), pk=pk
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (CSV or XLSX)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "The first row names the columns. At most %(size)s and %(rows)s rows."
        ) % {
            "size": files.megabytes(files.max_bytes()),
            "rows": number_format(files.max_rows(), force_grouping=True),
        }

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.sheet = files.inspect(uploaded)
        except files.FileRefused as exc:
            raise forms.ValidationError(exc.messages, code=exc.code) from None
        return uploaded


def index(request):
    if not _policy().user_has_permission(request.user, "add"):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        batch = batches.create(
            uploaded,
            uploaded.name,
            form.sheet,
            request.user,
            columns=fields.auto_columns(form.sheet.header),
        )
        return redirect("sme_registry_import_mapping", pk=batch.pk)
    recent = _policy().scoped(request.user, ImportBatch.objects.select_related("created_by"))
    page = Paginator(recent, 20).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "sme_registry/admin/imports/index.html",
        {
            "form": form,
            "page": page,
            "header_title": _("Import"),
            "max_rows": files.max_rows(),
        },
    )


class MappingForm(forms.Form):
    saved = forms.ChoiceField(label=gettext_lazy("Column mapping"), required=False)
    save_as = forms.CharField(
        label=gettext_lazy("Save this mapping as"),
        max_length=80,
        required=False,
        help_text=gettext_lazy("Optional: a name to choose this mapping for the next file."),
    )
    as_validated = forms.BooleanField(
        label=gettext_lazy("Import as validated"),
        required=False,
        help_text=ImportBatch._meta.get_field("as_validated").help_text,
    )

    def __init__(self, *args, batch, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.batch, self.user = batch, user
        self.fields["saved"].choices = [(AUTO, _("Office template / headers recognised"))] + [
            (str(m.pk), m.name) for m in ImportMapping.objects.all()
        ]
        choices = [("", _("— not in the file —"))] + [
            (column, column) for column in batch.header if column
        ]
        self.field_keys = []
        for import_field in fields.FIELDS:
            label = str(import_field.label) + (" *" if import_field.required else "")
            self.fields[f"col:{import_field.key}"] = forms.ChoiceField(
                label=label, choices=choices, required=False
            )
            self.field_keys.append(import_field.key)
        if not may_import_as_validated(user):
            del self.fields["as_validated"]

    def column_fields(self):
        return [self[f"col:{key}"] for key in self.field_keys]

    def clean_save_as(self):
        name = self.cleaned_data["save_as"].strip()
        existing = ImportMapping.objects.filter(name=name).first() if name else None
        if (
            existing
            and existing.created_by_id != self.user.pk
            and not permissions.import_mapping_policy.user_has_permission(self.user, "change")
        ):
            raise forms.ValidationError(_("Another user's mapping has this name: choose another."))
        return name

    def clean(self):
        cleaned = super().clean()
        columns = {key: cleaned.get(f"col:{key}") for key in self.field_keys}
        columns = {key: column for key, column in columns.items() if column}
        used = {}
        for key, column in columns.items():
            if column in used:
                self.add_error(
                    f"col:{key}",
                    _("The column “%(column)s” is already used for “%(field)s”.")
                    % {"column": column, "field": fields.BY_KEY[used[column]].label},
                )
            used.setdefault(column, key)
        if not any(key in columns for key in fields.IDENTIFYING_KEYS):
            raise forms.ValidationError(
                _("Map the NIK or the NIB column: records are found and created by them.")
            )
        cleaned["columns"] = columns
        return cleaned


def _initial_columns(batch, saved):
    if saved and saved != AUTO:
        mapping = ImportMapping.objects.filter(pk=saved).first()
        if mapping is not None:
            header = set(batch.header)
            return {k: v for k, v in mapping.columns.items() if v in header}, mapping.name
    return fields.auto_columns(batch.header), ""


def mapping(request, pk):
    batch = _batch(request, pk)
    if batch.is_running or batch.applying or batch.state == State.FAILED:
        # Running, written, or a file that could not be read: nothing to map any more.
        return redirect("sme_registry_import_detail", pk=batch.pk)
    saved = request.GET.get("mapping", AUTO)
    columns, mapping_name = _initial_columns(batch, saved)
    if request.method != "POST" and batch.mapping_name and "mapping" not in request.GET:
        columns, mapping_name = batch.columns, batch.mapping_name
    initial = {"saved": saved, **{f"col:{k}": v for k, v in columns.items()}}
    form = MappingForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        batch=batch,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        columns = form.cleaned_data["columns"]
        with transaction.atomic():
            name = form.cleaned_data["save_as"]
            if name:
                ImportMapping.objects.update_or_create(
                    name=name, defaults={"columns": columns, "created_by": request.user}
                )
            batch.columns = columns
            batch.mapping_name = name or mapping_name
            batch.as_validated = bool(form.cleaned_data.get("as_validated"))
            batch.save(update_fields=["columns", "mapping_name", "as_validated", "updated_at"])
            if batch.rows_checked:
                # A new mapping: every row is judged again.
                batch.rows.update(outcome=Outcome.PENDING, errors={}, changes={}, business=None)
                batch.rows_checked = 0
                batch.checked_at = None
                batch.save(update_fields=["rows_checked", "checked_at"])
            tasks.start_check(batch)
        return redirect("sme_registry_import_detail", pk=batch.pk)
    missing = [
        fields.BY_KEY[key].label for key in fields.REQUIRED_KEYS if not initial.get(f"col:{key}")
    ]
    return TemplateResponse(
        request,
        "sme_registry/admin/imports/mapping.html",
        {
            "batch": batch,
            "form": form,
            "missing": missing,
            "header_title": _("Map the columns of %(file)s") % {"file": batch.file_name},
        },
    )


def _stalled(batch):
    return batch.is_running and timezone.now() - batch.updated_at > STALLED_AFTER


OUTCOME_ORDER = (
    Outcome.CREATE,
    Outcome.UPDATE,
    Outcome.DUPLICATE,
    Outcome.UNCHANGED,
    Outcome.REFUSED,
    Outcome.PENDING,
)


def _row_view(row, labels):
    messages_ = []
    for key, texts in row.errors.items():
        label = labels.get(key, "")
        messages_.extend(f"{label}: {t}" if label and key != ROW else t for t in texts)
    changes = [
        (labels.get(key, key), before, after) for key, (before, after) in row.changes.items()
    ]
    return {"row": row, "messages": messages_, "changes": changes}


def detail(request, pk):
    batch = _batch(request, pk, action="view")
    mine = _policy().user_has_permission_for_instance(request.user, "change", batch)
    counts = batches.counts(batch)
    outcome = request.GET.get("outcome", "")
    rows = batch.rows.select_related("business").order_by("number")
    if outcome in Outcome.values:
        rows = rows.filter(outcome=outcome)
    page = Paginator(rows, 50).get_page(request.GET.get("p"))
    labels = {f.key: str(f.label) for f in fields.FIELDS}
    return TemplateResponse(
        request,
        "sme_registry/admin/imports/detail.html",
        {
            "batch": batch,
            "mine": mine,
            "stalled": _stalled(batch),
            "counts": [
                (value, Outcome(value).label, counts.get(value, 0))
                for value in OUTCOME_ORDER
                if counts.get(value)
            ],
            "outcome": outcome,
            "page": page,
            "rows": [_row_view(row, labels) for row in page],
            "header_title": batch.file_name,
            "progress_url": reverse("sme_registry_import_progress", args=[batch.pk]),
        },
    )


def progress(request, pk):
    batch = _batch(request, pk, action="view")
    done, total = batch.progress
    return JsonResponse(
        {
            "state": batch.state,
            "label": batch.get_state_display(),
            "done": done,
            "total": total,
            "percent": batch.progress_percent,
            "running": batch.is_running,
        }
    )


def _not_post(request, pk):
    """A GET of an action: the batch is looked up first (404/403), then 405."""
    if request.method == "POST":
        return None
    _batch(request, pk)
    return HttpResponseNotAllowed(["POST"])


def apply(request, pk):
    if refused := _not_post(request, pk):
        return refused
    with transaction.atomic():
        batch = _batch(request, pk)
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.state != State.CHECKED:
            messages.error(request, _("This import is not waiting to be applied."))
        else:
            tasks.start_apply(batch)
            messages.success(request, _("The import has started."))
    return redirect("sme_registry_import_detail", pk=pk)


def cancel(request, pk):
    if refused := _not_post(request, pk):
        return refused
    batch = _batch(request, pk)
    if batch.is_running:
        ImportBatch.objects.filter(pk=batch.pk).update(cancel_requested=True)
        messages.success(request, _("Stopping after the rows being written now."))
    return redirect("sme_registry_import_detail", pk=pk)


def resume(request, pk):
    if refused := _not_post(request, pk):
        return refused
    with transaction.atomic():
        batch = _batch(request, pk)
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.state == State.CANCELLED or _stalled(batch):
            if batch.checked_at is None:
                tasks.start_check(batch)
            else:
                tasks.start_apply(batch)
            messages.success(request, _("Resumed where it stopped."))
        else:
            messages.error(request, _("This import is not stopped."))
    return redirect("sme_registry_import_detail", pk=pk)


def refused(request, pk):
    """The refused rows as XLSX, each message beside its cell (personal data: audited)."""
    batch = _batch(request, pk, action="view")
    rows = batch.rows.filter(outcome=Outcome.REFUSED).order_by("number")
    output = workbooks.refused_workbook(batch, rows.iterator(chunk_size=1000))
    audit.record(
        request.user,
        audit.EXPORT,
        model=Business,
        what=REFUSED_EXPORT,
        batch=batch.pk,
        rows=rows.count(),
    )
    stem = batch.file_name.rsplit(".", 1)[0] or "impor"
    return FileResponse(
        output,
        as_attachment=True,
        filename=_("%(file)s-refused.xlsx") % {"file": stem},
        content_type=workbooks.XLSX_TYPE,
    )


def template(request):
    if not _policy().user_has_permission(request.user, "add"):
        raise PermissionDenied
    return FileResponse(
        workbooks.template_workbook(),
        as_attachment=True,
        filename=_("umkm-import-template.xlsx"),
        content_type=workbooks.XLSX_TYPE,
    )
