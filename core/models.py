"""Shared records: processed public forms, and the scoped history of registry records."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.models.audit_log import BaseLogEntry, BaseLogEntryManager


class SubmissionClaim(models.Model):
    """One row per processed public form, keyed by the nonce of its signed token.

    The unique nonce is what makes a repeated POST of the same form a no-op.
    """

    nonce = models.CharField(_("nonce"), max_length=64, unique=True)
    purpose = models.CharField(_("purpose"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission claim")
        verbose_name_plural = _("form submission claims")

    def __str__(self):
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"


class IdempotentResponse(models.Model):
    """The first answer to a POST sent with an Idempotency-Key, replayed for its retries.

    Keyed per endpoint and client (a hash of the address, or the API token), so one
    caller's key never answers another's request. The fingerprint of the body tells
    a retry from a different request that reuses the key.
    """

    scope = models.CharField(_("endpoint"), max_length=64)
    client = models.CharField(_("client"), max_length=64)
    key = models.CharField(_("idempotency key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"))
    body = models.JSONField(_("response body"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotent response")
        verbose_name_plural = _("idempotent responses")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "client", "key"], name="idempotent_response_once"
            )
        ]

    def __str__(self):
        return f"{self.scope} {self.key}"


class RecordLogEntryManager(BaseLogEntryManager):
    """History of scoped records: each user sees the entries of records in their scope.

    Wagtail's own log shows every entry of a model to anyone holding any
    permission on it; the site history report, its exports and each record's
    history read through `viewable_by_user`, so they follow the records' policies.
    Entries of audited actions (personal data viewed, NIK searched, exports) are
    shown only to holders of `core.view_audit_trail`.
    """

    def log_action(self, instance, action, **kwargs):
        kwargs.update(object_id=str(instance.pk))
        return super().log_action(instance, action, **kwargs)

    def for_instance(self, instance):
        return self.filter(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
            object_id=str(instance.pk),
        )

    def viewable_by_user(self, user):
        from core import audit
        from core.permissions import policy_for, scoped_models

        if not (user.is_authenticated and user.is_active):
            return self.none()
        condition = Q(pk__in=[])
        for model in scoped_models():
            policy = policy_for(model)
            if not policy.user_has_permission(user, "view"):
                continue
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            condition |= Q(content_type=content_type) & policy.object_id_filter(user, "view")
        entries = self.filter(condition)
        if user.has_perm("core.view_audit_trail"):
            # Exports of whole lists concern no one record.
            return self.filter(condition | Q(object_id="", action__in=audit.AUDITED_ACTIONS))
        return entries.exclude(action__in=audit.AUDITED_ACTIONS)


class RecordLogEntry(BaseLogEntry):
    """A log entry of a registry or training record (see `RecordLogEntryManager`)."""

    object_id = models.CharField(max_length=255, blank=True, db_index=True)

    objects = RecordLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("record log entry")
        verbose_name_plural = _("record log entries")
        permissions = [
            (
                "view_audit_trail",
                _("Can see who viewed personal data, searched by NIK or exported"),
            ),
        ]

    def __str__(self):
        return f"{self.action} on {self.content_type_id}:{self.object_id}"


class ExportJob(models.Model):
    """A spreadsheet of an admin list written by the background worker for one user.

    It keeps the list's address and filters, not its rows: the worker reads the list
    again as that user (same scope, same filters), so the file holds exactly what the
    list would export. The file is private, for its requester only, and expires.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting for the worker")
        RUNNING = "running", _("being written")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    view_name = models.CharField(_("list"), max_length=200)
    query = models.TextField(_("filters"), blank=True)
    language = models.CharField(_("language"), max_length=10)
    file_format = models.CharField(_("format"), max_length=4)
    label = models.CharField(_("what is exported"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="queued")
    rows_total = models.PositiveIntegerField(_("rows in all"), null=True)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file_name = models.CharField(_("stored file"), max_length=200, blank=True)
    download_name = models.CharField(_("file name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True)
    expires_at = models.DateTimeField(_("available until"), null=True, db_index=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return f"{self.label} ({self.file_format})"
