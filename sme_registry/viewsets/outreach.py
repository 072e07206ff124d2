"""Outreach sessions (penyuluhan) in the admin, scoped to the kecamatan they are held in."""

import django_filters

from django import forms
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    InspectView,
    SnippetViewSet,
)

from core.exports import AuditedExportMixin
from core.viewsets import ScopedViewSetMixin
from sme_registry import permissions
from sme_registry.models import Kecamatan, OutreachSession
from sme_registry.viewsets.common import PlacedRecordForm, bullet_list, person


class OutreachSessionFilterSet(WagtailFilterSet):
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=Kecamatan.objects.all()
    )
    date = django_filters.DateFromToRangeFilter(label=_("Date"))

    class Meta:
        model = OutreachSession
        fields = []


class OutreachSessionForm(PlacedRecordForm):
    """Kecamatan and desa within the user's area; staff among users with a role; an
    attendee's business among those the user may see (a POST naming another is refused
    beside the field); a head count no lower than the attendees listed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = permissions.outreach_staff_candidates()
        attendees = self.formsets["attendees"]
        seen = permissions.scoped_businesses(self.for_user)
        for form in [*attendees.forms, attendees.empty_form]:
            form.fields["business"].queryset = seen

    def clean(self):
        cleaned = super().clean()
        listed = 0
        for form in self.formsets["attendees"].forms:
            form.is_valid()  # the child's own errors are shown beside its fields
            if getattr(form, "cleaned_data", {}).get("DELETE"):
                continue
            if form.instance.pk or form.has_changed():
                listed += 1
        count = cleaned.get("attendee_count")
        if count is not None and listed > count:
            self.add_error(
                "attendee_count",
                _("%(listed)s attendees are listed: the number of attendees cannot be lower.")
                % {"listed": listed},
            )
        return cleaned


class OutreachSessionIndexView(AuditedExportMixin, IndexView):
    pass


class OutreachSessionCreateView(CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class OutreachSessionEditView(EditView):
    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                _("Print poster"),
                url=reverse("sme_registry_outreach_poster", args=[self.object.pk]),
                icon_name="doc-full",
                attrs={"target": "_blank", "rel": "noreferrer"},
            ),
        ]


class OutreachSessionInspectView(InspectView):
    labels = {
        "photos": _("Photos"),
        "businesses": _("Registrations"),
        "attendees": _("Attendees listed"),
    }

    def get_field_label(self, field_name, field):
        return self.labels.get(field_name) or super().get_field_label(field_name, field)

    def get_staff_display_value(self):
        return ", ".join(person(u) for u in self.object.staff.all()) or "-"

    def get_photos_display_value(self):
        return ", ".join(str(p) for p in self.object.photos.select_related("image")) or "-"

    def get_attendees_display_value(self):
        """Names and the business when registered, phones masked (follow-up is done from
        the edit form, by the staff who run the session); a number for a role that sees
        no business or person."""
        attendees = self.object.attendees.select_related("business")
        if not permissions.business_policy.user_has_permission(self.request.user, "view"):
            # Analis sees sessions, which name nobody: of the attendees, only how many.
            return str(attendees.count())
        rows = []
        for attendee in attendees:
            parts = [attendee.name or str(attendee.business)]
            if attendee.phone:
                parts.append(attendee.masked_phone)
            if attendee.business_id and attendee.name:
                parts.append(str(attendee.business))
            rows.append(" · ".join(parts))
        return bullet_list([conditional_escape(row) for row in rows])

    def get_businesses_display_value(self):
        return self.object.businesses.filter(merged_into__isnull=True).count()


class OutreachSessionViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = OutreachSession
    icon = "group"
    menu_label = _("Outreach sessions")
    url_prefix = "registry/outreach"
    list_per_page = 50
    ordering = ["-date", "-pk"]
    search_fields = ["place", "desa__name", "kecamatan__name", "referral_code"]
    search_backend_name = None
    filterset_class = OutreachSessionFilterSet
    index_view_class = OutreachSessionIndexView
    add_view_class = OutreachSessionCreateView
    edit_view_class = OutreachSessionEditView
    inspect_view_class = OutreachSessionInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    export_filename = "penyuluhan"
    list_display = [
        "date",
        Column("kecamatan", label=_("Kecamatan"), accessor=lambda s: s.kecamatan.name),
        Column("desa", label=_("Desa/kelurahan"), accessor=lambda s: s.desa.name),
        Column("place", label=_("Place")),
        Column("attendee_count", label=_("Attendees"), sort_key="attendee_count"),
        Column("registrations", label=_("Registrations"), sort_key="registrations"),
    ]
    list_export = [
        "date",
        "kecamatan.name",
        "desa.name",
        "place",
        "attendee_count",
        "registrations",
        "referral_code",
    ]
    export_headings = {
        "kecamatan.name": _("Kecamatan"),
        "desa.name": _("Desa/kelurahan"),
        "registrations": _("Registrations"),
    }
    inspect_view_fields = [
        "date",
        "kecamatan",
        "desa",
        "place",
        "staff",
        "attendee_count",
        "notes",
        "referral_code",
        "created_by",
        "businesses",
        "attendees",
        "photos",
    ]
    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("attendee_count")]),
        FieldRowPanel([FieldPanel("kecamatan"), FieldPanel("desa")]),
        FieldPanel("place"),
        FieldPanel("staff", widget=forms.CheckboxSelectMultiple),
        FieldPanel("notes"),
        InlinePanel(
            "attendees",
            heading=_("Attendees"),
            label=_("Attendee"),
            help_text=_(
                "Who came, to follow up: a name and phone, or the business when it is "
                "registered already. The number of attendees above may be higher."
            ),
        ),
        InlinePanel("photos", heading=_("Photos"), label=_("Photo")),
    ]
    edit_handler = ObjectList(panels, base_form_class=OutreachSessionForm)

    def listing_queryset(self, queryset):
        return queryset.select_related("kecamatan", "desa").annotate(
            registrations=Count("businesses", filter=Q(businesses__merged_into__isnull=True))
        )
