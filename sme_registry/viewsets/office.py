"""The registry's office settings: operator areas, e-mail texts, coverage targets (Admin Dinas)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from core.viewsets import ScopedViewSetMixin
from sme_registry.models import CoverageTarget, EmailTemplate, ImportMapping, StaffArea


class StaffAreaViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = StaffArea
    icon = "site"
    menu_label = _("Operator areas")
    url_prefix = "registry/areas"
    copy_view_enabled = False
    list_display = [
        "user",
        Column(
            "kecamatan",
            label=_("Kecamatan"),
            accessor=lambda a: ", ".join(k.name for k in a.kecamatan.all()),
        ),
    ]
    panels = [FieldPanel("user"), FieldPanel("kecamatan", widget=forms.CheckboxSelectMultiple)]

    def listing_queryset(self, queryset):
        return queryset.select_related("user").prefetch_related("kecamatan")


class EmailTemplateViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = EmailTemplate
    icon = "mail"
    menu_label = _("E-mail texts")
    url_prefix = "registry/email-texts"
    copy_view_enabled = False
    list_display = ["kind", "subject"]
    panels = [FieldPanel("kind"), FieldPanel("subject"), FieldPanel("body")]


class ImportMappingViewSet(ScopedViewSetMixin, SnippetViewSet):
    """Saved column mappings of the import: made on the import's column screen, renamed or
    removed here."""

    model = ImportMapping
    icon = "table"
    menu_label = _("Import column mappings")
    url_prefix = "registry/import-mappings"
    copy_view_enabled = False
    list_display = [
        "name",
        Column(
            "columns",
            label=_("Columns"),
            accessor=lambda m: ", ".join(sorted(m.columns.values())),
        ),
        Column("created_by", label=_("Created by")),
        "updated_at",
    ]
    panels = [FieldPanel("name")]

    def listing_queryset(self, queryset):
        return queryset.select_related("created_by")


class CoverageTargetViewSet(ScopedViewSetMixin, SnippetViewSet):
    """The office's estimate of UMKM per kecamatan, which Analisis reads coverage against."""

    model = CoverageTarget
    icon = "crosshairs"
    menu_label = _("Coverage targets")
    url_prefix = "registry/coverage-targets"
    copy_view_enabled = False
    list_display = ["kecamatan", "estimated_businesses", "source", "updated_at"]
    panels = [FieldPanel("kecamatan"), FieldPanel("estimated_businesses"), FieldPanel("source")]

    def listing_queryset(self, queryset):
        return queryset.select_related("kecamatan")
