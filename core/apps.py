from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app shares and no domain owns: codes, links, limits, audit, admin scope."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    label = "core"
    verbose_name = _("Shared infrastructure")

    def ready(self):
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

        from wagtail.models import UploadedFile

        from core import page_cache
        from core.uploads import budget, editors

        # Each request decodes images within its own pixel budget (core.uploads.budget).
        request_started.connect(budget.begin_request, dispatch_uid="core.uploads.budget.begin")
        request_finished.connect(budget.end_request, dispatch_uid="core.uploads.budget.end")
        # Files the multiple uploader keeps pending are cleaned like every other upload.
        pre_save.connect(
            editors.check_pending_upload,
            sender=UploadedFile,
            dispatch_uid="core.uploads.pending",
        )
        # Any write a public page can show drops the pages kept for visitors.
        for name, signal in (
            ("saved", post_save),
            ("deleted", post_delete),
            ("linked", m2m_changed),
        ):
            signal.connect(page_cache.on_write, dispatch_uid=f"core.page_cache.{name}")
