"""Owners in the admin: masked personal data, scoped to the owners of businesses in scope."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from core.exports import AuditedExportMixin
from core.html import CompactHtmlMixin
from core.pagination import BigListIndexMixin
from core.viewsets import ScopedAdminModelForm, ScopedViewSetMixin, YesNoColumn
from sme_registry.models import Desa, Owner
from sme_registry.viewsets.common import DesaChoiceField


class OwnerIndexView(BigListIndexMixin, CompactHtmlMixin, AuditedExportMixin, IndexView):
    pass


class OwnerAdminForm(ScopedAdminModelForm):
    """The home desa listed with its kecamatan (an owner may live outside the staff's area)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "desa" in self.fields:
            desa = self.fields["desa"]
            self.fields["desa"] = DesaChoiceField(
                queryset=Desa.objects.select_related("kecamatan"),
                label=desa.label,
                help_text=desa.help_text,
                required=False,
            )


class OwnerViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = Owner
    icon = "user"
    menu_label = _("Owners")
    url_prefix = "registry/owners"
    index_view_class = OwnerIndexView
    index_results_template_name = BigListIndexMixin.results_template_name
    list_per_page = 50
    ordering = ["full_name"]
    search_fields = ["full_name"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    export_filename = "pemilik-umkm"
    list_display = [
        "full_name",
        Column("nik", label=_("NIK"), accessor="masked_nik"),
        Column("phone", label=_("Phone"), accessor="masked_phone"),
        Column(
            "kecamatan",
            label=_("Kecamatan"),
            accessor=lambda o: o.kecamatan.name if o.kecamatan_id else "—",
        ),
        YesNoColumn("nik_outside_bogor", label=_("NIK from outside Bogor")),
        YesNoColumn("birth_date_mismatch", label=_("Birth date differs from NIK")),
        DateColumn("created_at", label=_("Registered")),
    ]
    # Masked, like the list: the export leaves the office.
    list_export = [
        "full_name",
        "masked_nik",
        "masked_phone",
        "sex",
        "education",
        "has_disability",
        "kecamatan.name",
        "desa.name",
        "nik_outside_bogor",
        "birth_date_mismatch",
        "created_at",
    ]
    export_headings = {
        "masked_nik": _("NIK"),
        "masked_phone": _("Phone"),
        "kecamatan.name": _("Kecamatan"),
        "desa.name": _("Desa/kelurahan"),
    }
    inspect_view_fields = [
        "full_name",
        "sex",
        "education",
        "has_disability",
        "kecamatan",
        "desa",
        "nik_outside_bogor",
        "birth_date_mismatch",
        "created_at",
        "updated_at",
    ]
    panels = [
        FieldPanel("full_name"),
        FieldRowPanel([FieldPanel("nik"), FieldPanel("sex"), FieldPanel("birth_date")]),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("kecamatan"), FieldPanel("desa")]),
        FieldRowPanel(
            [FieldPanel("education"), FieldPanel("has_disability"), FieldPanel("disability_note")]
        ),
    ]
    edit_handler = ObjectList(panels, base_form_class=OwnerAdminForm)

    def listing_queryset(self, queryset):
        return queryset.select_related("kecamatan", "desa")
