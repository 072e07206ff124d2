"""Bulk import of existing SME data: saved column mappings, batches and their rows.

A batch is one uploaded file. Its rows are read once into `ImportRow` (the
file itself is then deleted), checked in a dry run, and applied by a
background task; each row remembers what happened to it, so a cancelled or
interrupted import resumes where it stopped and never applies a row twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sme_registry import uploads


class ImportMapping(models.Model):
    """Which column of a spreadsheet holds which field, saved under a name for the next file."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    # {field key: column header as written in the file}
    columns = models.JSONField(_("columns"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("import column mapping")
        verbose_name_plural = _("import column mappings")

    def __str__(self):
        return self.name


class ImportBatch(models.Model):
    class State(models.TextChoices):
        UPLOADED = "uploaded", _("waiting for the column mapping")
        READING = "reading", _("reading the file")
        CHECKING = "checking", _("dry run in progress")
        CHECKED = "checked", _("dry run done")
        APPLYING = "applying", _("import in progress")
        CANCELLED = "cancelled", _("stopped")
        DONE = "done", _("imported")
        FAILED = "failed", _("the file could not be read")

    #: States in which a background task is (or should be) working on the batch.
    RUNNING = (State.READING, State.CHECKING, State.APPLYING)

    file = models.FileField(_("file"), storage=uploads.private_storage, max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=200)
    file_format = models.CharField(_("format"), max_length=4)
    # For CSV: the encoding and delimiter found when the file was uploaded.
    csv_dialect = models.JSONField(default=dict, blank=True)
    header = models.JSONField(_("column headers"), default=list)
    header_row = models.PositiveIntegerField(default=1)
    preview = models.JSONField(default=list, blank=True)
    columns = models.JSONField(_("column mapping"), default=dict, blank=True)
    mapping_name = models.CharField(_("mapping used"), max_length=80, blank=True)
    as_validated = models.BooleanField(
        _("import as validated"),
        default=False,
        help_text=_(
            "The records skip the kecamatan check and the PUM validation: every review "
            "step is approved in your name, and the import is written to the audit trail."
        ),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.UPLOADED
    )
    error = models.TextField(_("error"), blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    rows_to_apply = models.PositiveIntegerField(default=0)
    rows_applied = models.PositiveIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    checked_at = models.DateTimeField(_("dry run at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    # Moves with every chunk of progress: a running batch that stopped moving lost its worker.
    updated_at = models.DateTimeField(auto_now=True)
    # When the rows' cells (personal data) were deleted, IMPORT_KEEP_DAYS after the last use.
    purged_at = models.DateTimeField(_("data deleted at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        permissions = [
            ("import_as_validated", _("Can import records as already validated")),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_running(self):
        return self.state in self.RUNNING

    @property
    def applying(self):
        """In the import phase (after the dry run), whether running, stopped or done."""
        return self.checked_at is not None and self.state != self.State.CHECKED

    @property
    def progress(self):
        """(rows done, rows to do) of the phase the batch is in."""
        if self.applying:
            return self.rows_applied, self.rows_to_apply
        return self.rows_checked, self.rows_total

    @property
    def progress_percent(self):
        done, total = self.progress
        return min(100, round(100 * done / total)) if total else 0


class ImportRow(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("not checked yet")
        CREATE = "create", _("new record")
        UPDATE = "update", _("update")
        DUPLICATE = "duplicate", _("likely duplicate")
        UNCHANGED = "unchanged", _("no change")
        REFUSED = "refused", _("refused")

    #: Outcomes that the import writes.
    TO_APPLY = (Outcome.CREATE, Outcome.UPDATE, Outcome.DUPLICATE)

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))
    cells = models.JSONField(default=list)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    # {field key or "": [messages]}: "" holds messages about the row as a whole.
    errors = models.JSONField(default=dict, blank=True)
    # {field key: [before, after]} for an update.
    changes = models.JSONField(default=dict, blank=True)
    business = models.ForeignKey(
        "sme_registry.Business",
        verbose_name=_("business"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied = models.BooleanField(default=False)

    class Meta:
        ordering = ["batch", "number"]
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="import_row_once")]
        indexes = [models.Index(fields=["batch", "outcome"], name="import_row_outcome_idx")]

    def __str__(self):
        return f"{self.batch_id}:{self.number}"
