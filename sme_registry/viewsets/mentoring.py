"""Mentoring visits (pendampingan) in the admin.

Seen with the business; recorded and edited by the business's mentor (and the office).
"""

import django_filters

from django import forms
from django.db import transaction
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    InspectView,
    SnippetViewSet,
)

from core.exports import AuditedExportMixin
from core.viewsets import ScopedAdminModelForm, ScopedViewSetMixin
from sme_registry import permissions, services
from sme_registry.models import Kecamatan, MentoringVisit
from sme_registry.models.mentoring import INDICATOR_FIELDS
from sme_registry.viewsets.common import bullet_list, person


class MentoringVisitFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MentoringVisit.Kind.choices)
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), field_name="business__kecamatan", queryset=Kecamatan.objects.all()
    )
    visited_on = django_filters.DateFromToRangeFilter(label=_("Date"))
    open_follow_ups = django_filters.BooleanFilter(
        label=_("Open follow-ups"), method="filter_open_follow_ups"
    )

    class Meta:
        model = MentoringVisit
        fields = []

    def filter_open_follow_ups(self, queryset, name, value):
        if value is None:
            return queryset
        return (
            queryset.filter(open_follow_ups__gt=0) if value else queryset.filter(open_follow_ups=0)
        )


class MentoringVisitForm(ScopedAdminModelForm):
    """A mentor records visits only for the businesses assigned to them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business"].queryset = permissions.mentoring_businesses(self.for_user).order_by(
            "name"
        )


class MentoringVisitCreateView(CreateView):
    def get_initial(self):
        initial = super().get_initial()
        business = self.request.GET.get("business", "")
        if business.isdigit():
            initial["business"] = business
        return initial

    def save_instance(self):
        with transaction.atomic():
            self.form.instance.mentor = self.request.user
            instance = super().save_instance()
            return services.record_mentoring_visit(instance, user=self.request.user)


class MentoringVisitEditView(EditView):
    def save_instance(self):
        with transaction.atomic():
            instance = super().save_instance()
            return services.record_mentoring_visit(instance, user=self.request.user)


class MentoringVisitInspectView(InspectView):
    labels = {"follow_ups": _("Follow-up actions")}

    def get_field_label(self, field_name, field):
        return self.labels.get(field_name) or super().get_field_label(field_name, field)

    def get_follow_ups_display_value(self):
        rows = [
            format_html(
                "{} · {} {}{}",
                f.action,
                _("due"),
                f.due_on.strftime("%d-%m-%Y"),
                format_html(" · {} {}", _("done"), f.done_on.strftime("%d-%m-%Y"))
                if f.done_on
                else "",
            )
            for f in self.object.follow_ups.all()
        ]
        return bullet_list(rows)


class MentoringVisitIndexView(AuditedExportMixin, IndexView):
    pass


class MentoringVisitViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = MentoringVisit
    icon = "calendar-check"
    menu_label = _("Mentoring visits")
    url_prefix = "registry/mentoring"
    list_per_page = 50
    ordering = ["-visited_on", "-pk"]
    search_fields = ["business__name", "topics"]
    search_backend_name = None
    filterset_class = MentoringVisitFilterSet
    index_view_class = MentoringVisitIndexView
    add_view_class = MentoringVisitCreateView
    edit_view_class = MentoringVisitEditView
    inspect_view_class = MentoringVisitInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "visited_on",
        Column("business", label=_("Business"), accessor=lambda v: v.business.name),
        Column("kecamatan", label=_("Kecamatan"), accessor=lambda v: v.business.kecamatan.name),
        Column("kind", label=_("Kind"), accessor=lambda v: v.get_kind_display()),
        Column("topics", label=_("Topics")),
        Column("mentor", label=_("Mentor"), accessor=lambda v: person(v.mentor)),
        Column("open_follow_ups", label=_("Open follow-ups"), sort_key="open_follow_ups"),
        Column(
            "next_visit_on",
            label=_("Next visit"),
            sort_key="next_visit_on",
            accessor=lambda v: v.next_visit_on.strftime("%d-%m-%Y") if v.next_visit_on else "—",
        ),
    ]
    export_filename = "kunjungan-pendampingan"
    list_export = [
        "visited_on",
        "business.tracking_code",
        "business.name",
        "business.kecamatan.name",
        "kind",
        "topics",
        "mentor",
        "open_follow_ups",
        "next_visit_on",
        *INDICATOR_FIELDS,
    ]
    export_headings = {
        "business.tracking_code": _("Tracking code"),
        "business.name": _("Business"),
        "business.kecamatan.name": _("Kecamatan"),
        "open_follow_ups": _("Open follow-ups"),
    }
    inspect_view_fields = [
        "business",
        "mentor",
        "visited_on",
        "kind",
        "topics",
        "notes",
        "follow_ups",
        "next_visit_on",
        *INDICATOR_FIELDS,
        "created_at",
    ]
    panels = [
        FieldPanel("business", widget=forms.Select),
        FieldRowPanel([FieldPanel("visited_on"), FieldPanel("kind")]),
        FieldPanel("topics"),
        FieldPanel("notes"),
        InlinePanel("follow_ups", heading=_("Follow-up actions"), label=_("Action")),
        FieldPanel("next_visit_on"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("annual_sales"), FieldPanel("capital"), FieldPanel("assets")]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("workers_male"),
                        FieldPanel("workers_female"),
                        FieldPanel("workers_disabled"),
                    ]
                ),
            ],
            heading=_("Figures heard on the visit (optional)"),
            help_text=_(
                "Filled figures are kept as a mentoring snapshot of the business's growth; "
                "the business's validated data stays as it is."
            ),
        ),
    ]
    edit_handler = ObjectList(panels, base_form_class=MentoringVisitForm)

    def listing_queryset(self, queryset):
        return queryset.select_related("business__kecamatan", "mentor").annotate(
            open_follow_ups=Count("follow_ups", filter=Q(follow_ups__done_on__isnull=True))
        )
