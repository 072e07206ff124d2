"""Businesses in the admin: the scoped list, inspect view and edit form.

A business is never created here (the add view leads to the staff entry,
which goes through `register_business`), never published here (only the last
review step validates) and never deleted (archived instead).
"""

import django_filters

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    InspectView,
    SnippetViewSet,
)

from core.charts import line_chart
from core.exports import AuditedExportMixin
from core.html import CompactHtmlMixin
from core.pagination import BigListIndexMixin
from core.viewsets import ScopedViewSetMixin
from sme_registry import outcomes, permissions, programmes, selectors, services, transitions
from sme_registry import quality as data_quality
from sme_registry.kbli import KBLI_CATEGORIES
from sme_registry.models import Business, Desa, Kecamatan, RegistryReviewTask, Source, Status
from sme_registry.scale import Scale
from sme_registry.viewsets import business_actions
from sme_registry.viewsets.common import PlacedRecordForm, bullet_list

# Other apps add sections to a business's inspect view through this hook:
# fn(request, business) returns [(label, html), ...] (trainings do, for attendance).
INSPECT_SECTIONS_HOOK = "sme_registry_business_inspect_sections"


def _date(name):
    def read(business):
        value = getattr(business, name)
        return date_format(timezone.localtime(value), "j M Y") if value else ""

    return read


def _scale(business):
    reported = business.get_reported_scale_display() or "—"
    computed = business.get_computed_scale_display() or "—"
    mark = " ⚠" if business.scale_mismatch else ""
    return f"{reported} / {computed}{mark}"


class BusinessFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=Kecamatan.objects.all()
    )
    desa = django_filters.ModelChoiceFilter(
        label=_("Desa/kelurahan"), queryset=Desa.objects.select_related("kecamatan")
    )
    kbli_category = django_filters.ChoiceFilter(label=_("Sector"), choices=KBLI_CATEGORIES)
    computed_scale = django_filters.ChoiceFilter(label=_("Scale (computed)"), choices=Scale.choices)
    scale_mismatch = django_filters.BooleanFilter(label=_("Scale mismatch"))
    source = django_filters.ChoiceFilter(label=_("Source"), choices=Source.choices)
    owner_confirmed = django_filters.BooleanFilter(label=_("Confirmed by the owner"))
    directory_opt_in = django_filters.BooleanFilter(label=_("Opted in to the public directory"))
    likely_duplicate = django_filters.BooleanFilter(
        label=_("Likely duplicate"),
        field_name="possible_duplicates",
        lookup_expr="isnull",
        exclude=True,
        distinct=True,
    )
    # Set by the links from Analisis (a figure counts no merged record); see DRILL_DOWN_ONLY.
    merged = django_filters.BooleanFilter(
        label=_("Merged into another record"),
        field_name="merged_into",
        lookup_expr="isnull",
        exclude=True,
        widget=forms.HiddenInput,
    )
    review_step = django_filters.ModelChoiceFilter(
        label=_("Waiting at review step"),
        queryset=RegistryReviewTask.objects.all(),
        method="filter_review_step",
    )
    # Set by the links from Analisis → Growth: the records whose scale went from one to
    # another ("mikro>kecil"; "*" any) between their first and latest snapshot taken in
    # the period the two dates give. Hidden, like `merged`.
    scale_change = django_filters.CharFilter(
        label=_("Scale change between snapshots"),
        method="filter_scale_change",
        widget=forms.HiddenInput,
    )
    snapshots_after = django_filters.DateFilter(
        label=_("Snapshots from"), method="filter_nothing", widget=forms.HiddenInput
    )
    snapshots_before = django_filters.DateFilter(
        label=_("Snapshots until"), method="filter_nothing", widget=forms.HiddenInput
    )
    # Set by the links from Analisis → Outcomes: the records measured in the period that
    # took part in a programme while measured, did not, or only before (`outcomes.GROUPS`).
    programme = django_filters.CharFilter(
        label=_("Programme"), method="filter_nothing", widget=forms.HiddenInput
    )
    programme_group = django_filters.ChoiceFilter(
        label=_("Programme group"),
        choices=[
            (outcomes.TOOK_PART, _("took part while measured")),
            (outcomes.COMPARISON, _("did not take part")),
            (outcomes.EARLIER, _("took part only before they were measured")),
        ],
        method="filter_programme_group",
        widget=forms.HiddenInput,
    )
    # Set by the links from Analisis → Outreach: the registrations one session brought.
    outreach_session = django_filters.NumberFilter(
        label=_("Outreach session"), field_name="outreach_session", widget=forms.HiddenInput
    )
    quality = django_filters.ChoiceFilter(
        label=_("Data quality"),
        choices=[(check.key, check.label) for check in data_quality.CHECKS],
        method="filter_quality",
    )
    submitted_at = django_filters.DateFromToRangeFilter(label=_("Submitted"))
    updated_at = django_filters.DateFromToRangeFilter(label=_("Updated"))
    needs_update = django_filters.BooleanFilter(
        label=_("Not updated for a long time"),
        field_name="update_reminder",
        lookup_expr="isnull",
        exclude=True,
    )

    class Meta:
        model = Business
        fields = []

    # Set only by links from Analisis: offered in the filter drawer when a link set them
    # (so the person can see and remove them), left out of every other page of the list.
    DRILL_DOWN_ONLY = (
        "merged",
        "scale_change",
        "snapshots_after",
        "snapshots_before",
        "programme",
        "programme_group",
        "outreach_session",
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        for name in self.DRILL_DOWN_ONLY:
            if not (self.data or {}).get(name):
                del self.filters[name]
        # Filter choices in the user's scope only: no other kecamatan's names in the list.
        if request is not None:
            kecamatan = permissions.placeable_kecamatan(request.user)
            self.filters["kecamatan"].queryset = kecamatan
            self.filters["desa"].queryset = Desa.objects.filter(
                kecamatan__in=kecamatan
            ).select_related("kecamatan")
            self._offer_desa_of_the_kecamatan(kecamatan)

    def filter_review_step(self, queryset, name, value):
        return selectors.waiting_at_step(queryset, value) if value else queryset

    def filter_quality(self, queryset, name, value):
        return queryset.filter(data_quality.condition(value)) if value else queryset

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by `filter_scale_change` and `filter_programme_group`

    def filter_programme_group(self, queryset, name, value):
        data = self.form.cleaned_data
        programme = programmes.programmes().get(data.get("programme"))
        if not value or programme is None:
            return queryset
        first, sep, _last = (data.get("scale_change") or "").partition(">")
        first_scale = first if sep and first in {*Scale.values, ""} else None
        groups = selectors.programme_groups(
            Business.objects.all(),
            programme,
            data.get("snapshots_after"),
            data.get("snapshots_before"),
            first_scale,
        )
        if value == outcomes.TOOK_PART:
            groups = groups.filter(took_part=True)
        elif value == outcomes.COMPARISON:
            groups = groups.filter(took_part_before_latest=False)
        else:
            groups = groups.filter(took_part=False, took_part_before_latest=True)
        return queryset.filter(pk__in=groups.values("pk"))

    def filter_scale_change(self, queryset, name, value):
        first, sep, last = (value or "").partition(">")
        known = {*Scale.values, "", "*"}
        if not sep or first not in known or last not in known:
            return queryset
        return selectors.with_scale_change(
            queryset,
            None if first == "*" else first,
            None if last == "*" else last,
            self.form.cleaned_data.get("snapshots_after"),
            self.form.cleaned_data.get("snapshots_before"),
        )

    def _offer_desa_of_the_kecamatan(self, kecamatan):
        """The desa drop-down lists the chosen kecamatan's desa, not all 435.

        Any desa in scope still filters (a link may name only a desa); the list of
        choices follows the kecamatan filter, or the user's one kecamatan.
        """
        field = self.form.fields["desa"]
        chosen = self.data.get("kecamatan") if self.data else None
        if chosen and str(chosen).isdigit():
            shown = field.queryset.filter(kecamatan_id=int(chosen))
        elif len(kecamatan) == 1:
            shown = field.queryset
        else:
            desa = self.data.get("desa") if self.data else None
            shown = field.queryset.filter(pk=int(desa)) if desa and str(desa).isdigit() else None
        if shown is None:
            field.widget.choices = [("", _("Choose a kecamatan first"))]
        else:
            field.widget.choices = [("", field.empty_label)] + [
                (desa.pk, field.label_from_instance(desa)) for desa in shown
            ]


class BusinessIndexView(BigListIndexMixin, CompactHtmlMixin, AuditedExportMixin, IndexView):
    def get_edit_url(self, instance):
        # A row's name opens the record page, which carries the edit link and every
        # other action; a second "inspect" button per row cost 15 KB on 50 rows.
        return None

    def search_queryset(self, queryset):
        # The staff API's search, word by word: one rule for both (`selectors`).
        if not self.is_searching:
            return queryset
        return selectors.search_businesses(queryset, self.search_query)

    def get_list_buttons(self, instance):
        return business_actions.list_buttons(instance, self.request.user)


class BusinessCreateView(CreateView):
    """A business has one door: the staff entry form, which calls `register_business`."""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.business_policy.user_has_permission(request.user, "add"):
            raise PermissionDenied
        return redirect("sme_registry_staff_entry")


def _document_label(document):
    """A legal document with its dates, marked when it has run out or soon will."""
    parts = [str(document)]
    if document.issued_on:
        parts.append(_("issued %(date)s") % {"date": date_format(document.issued_on, "j F Y")})
    if document.expires_on:
        parts.append(
            _("valid until %(date)s") % {"date": date_format(document.expires_on, "j F Y")}
        )
    expiry = selectors.document_expiry(document)
    marks = {
        "expired": _("expired"),
        "expiring": _("expires within %(days)s days") % {"days": selectors.EXPIRY_WARNING_DAYS},
    }
    if expiry:
        return format_html("{} <strong>({})</strong>", " · ".join(parts), marks[expiry])
    return " · ".join(parts)


class BusinessInspectView(InspectView):
    """Documents and photos open through the permission-checked file view."""

    labels = {
        "legal_documents": _("Legal documents"),
        "photos": _("Product photos"),
        "mentoring_visits": _("Mentoring visits"),
        "snapshots": _("Figures over time"),
    }

    def get_field_label(self, field_name, field):
        return self.labels.get(field_name) or super().get_field_label(field_name, field)

    def get_fields_context(self):
        """The record's own fields, then what other apps show of it (trainings, ...)."""
        fields = super().get_fields_context()
        for fn in hooks.get_hooks(INSPECT_SECTIONS_HOOK):
            for label, value in fn(self.request, self.object) or ():
                fields.append({"label": label, "value": value, "component": None})
        return fields

    def _links(self, items, kind, label):
        rows = []
        for item in items:
            stored = item.file.name if kind == "dokumen" else item.image.name
            if stored:
                url = reverse("sme_registry_private_file", args=[kind, item.pk])
                rows.append(format_html('<a href="{}" target="_blank">{}</a>', url, label(item)))
            else:
                rows.append(format_html("{}", label(item)))
        return bullet_list(rows)

    def get_legal_documents_display_value(self):
        return self._links(self.object.legal_documents.all(), "dokumen", _document_label)

    def get_extra_answers_display_value(self):
        rows = [
            format_html("<strong>{}</strong>: {}", question, answer)
            for question, answer in selectors.extra_answers(self.object)
        ]
        return bullet_list(rows)

    def get_snapshots_display_value(self):
        snapshots = list(self.object.snapshots.order_by("taken_at", "pk"))
        if not snapshots:
            return "-"

        def rupiah(value):
            return "Rp " + number_format(value, 0, use_l10n=True, force_grouping=True)

        def day(snapshot):
            return date_format(timezone.localtime(snapshot.taken_at), "j M Y")

        charts = [
            line_chart(
                _("Annual sales"), [(day(s), s.annual_sales) for s in snapshots], shown=rupiah
            ),
            line_chart(
                _("Workers"),
                [(day(s), s.workers_male + s.workers_female) for s in snapshots],
                shown=lambda n: number_format(n, 0),
            ),
        ]
        return render_to_string(
            "sme_registry/admin/includes/snapshots.html",
            {"snapshots": snapshots, "charts": [chart for chart in charts if chart]},
            request=self.request,
        )

    def get_photos_display_value(self):
        return self._links(
            self.object.photos.all(), "foto", lambda p: p.caption or _("Product photo")
        )

    def get_outreach_session_display_value(self):
        session = self.object.outreach_session
        if session is None:
            return "-"
        if not permissions.scoped_outreach_sessions(self.request.user).filter(pk=session.pk):
            return str(session)
        url = reverse("wagtailsnippets_sme_registry_outreachsession:inspect", args=[session.pk])
        return format_html('<a href="{}">{}</a>', url, session)

    def get_mentoring_visits_display_value(self):
        visits = permissions.scoped_mentoring_visits(
            self.request.user, self.object.mentoring_visits.select_related("mentor")
        )
        rows = [
            format_html(
                '<a href="{}">{}</a> · {} · {}{}',
                reverse("wagtailsnippets_sme_registry_mentoringvisit:inspect", args=[v.pk]),
                v.visited_on.strftime("%d-%m-%Y"),
                v.get_kind_display(),
                v.topics,
                format_html(" ({})", v.mentor.get_full_name() or v.mentor.get_username())
                if v.mentor_id
                else "",
            )
            for v in visits
        ]
        return bullet_list(rows)

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            *business_actions.record_buttons(self.object, self.request.user),
        ]

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if (
            permissions.business_policy.user_has_permission(self.request.user, "archive")
            and self.object.status != Status.ARCHIVED
        ):
            buttons.append(
                HeaderButton(
                    _("Archive"),
                    url=reverse("sme_registry_archive", args=[self.object.pk]),
                    icon_name="folder-inverse",
                )
            )
        return buttons


class BusinessAdminForm(PlacedRecordForm):
    """Choices within the user's scope; the kecamatan checked again as the service would.

    The mentor is chosen among users who may mentor, and only by those who
    may assign mentors (the panel is hidden from the others).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "mentor" in self.fields:
            self.fields["mentor"].queryset = permissions.mentor_candidates()


class BusinessEditView(CompactHtmlMixin, EditView):
    """Saving keeps the review where it is; the record's state moves only by review actions."""

    # Wagtail would offer these to users with publish or cancel rights; the
    # workflow owns them here (see `sme_registry.transitions`).
    REFUSED_ACTIONS = {"publish", "cancel-workflow", "restart-workflow"}

    def get_available_actions(self):
        return [a for a in super().get_available_actions() if a not in self.REFUSED_ACTIONS]

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            *business_actions.record_buttons(self.object, self.request.user),
        ]

    def submit_action(self):
        transitions.submit(self.object, self.request.user)

    def workflow_action_action(self):
        # A reviewer who corrects something and approves in one go approves the corrected
        # version: the step's task state follows it (earlier steps still see it again).
        task_state = self.object.current_workflow_task_state
        if (
            self.new_revision is not None
            and task_state is not None
            and task_state.revision_id != self.new_revision.pk
        ):
            task_state.revision = self.new_revision
            task_state.save(update_fields=["revision"])
        return super().workflow_action_action()

    def save_instance(self):
        if self.action == "workflow-action" and not self.form.has_changed():
            # Approving or sending back what is shown: no new version, or the review of
            # this one would start again (reapproval on edit) and never move on.
            self.new_revision = None
            return self.object
        instance = super().save_instance()
        if "mentor" in self.form.changed_data:
            # Applies at once: no validation step stands between the office and its mentors.
            services.assign_mentor([instance], instance.mentor, user=self.request.user)
        if "directory_opt_in" in self.form.changed_data and not instance.directory_opt_in:
            # The owner withdrew consent (e.g. by phone): it applies at once, unreviewed.
            services.withdraw_from_directory(instance, user=self.request.user, via="staff")
        return instance


class BusinessViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = Business
    icon = "form"
    menu_label = _("Businesses")
    url_prefix = "registry/businesses"
    list_per_page = 50
    ordering = ["-submitted_at"]
    search_fields = list(selectors.STAFF_SEARCH_FIELDS)
    search_backend_name = None
    filterset_class = BusinessFilterSet
    index_view_class = BusinessIndexView
    index_results_template_name = BigListIndexMixin.results_template_name
    add_view_class = BusinessCreateView
    inspect_view_class = BusinessInspectView
    edit_view_class = BusinessEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    export_filename = "registri-umkm"
    # The NIK leaves the office only masked; personal contact data not at all.
    list_export = [
        "tracking_code",
        "name",
        "owner.full_name",
        "owner.masked_nik",
        "kecamatan.name",
        "desa.name",
        "kbli_category",
        "kbli_code",
        "main_product",
        "legal_form",
        "nib",
        "year_started",
        "capital",
        "annual_sales",
        "assets",
        "workers_male",
        "workers_female",
        "workers_disabled",
        "reported_scale",
        "computed_scale",
        "scale_mismatch",
        "status",
        "source",
        "submitted_at",
        "updated_at",
        "extra_answers_text",
    ]
    export_headings = {
        "tracking_code": _("Tracking code"),
        "owner.full_name": _("Owner"),
        "owner.masked_nik": _("NIK"),
        "kecamatan.name": _("Kecamatan"),
        "desa.name": _("Desa/kelurahan"),
        "extra_answers_text": _("Answers to extra questions"),
    }
    list_display = [
        "name",
        Column("owner", label=_("Owner"), accessor=lambda b: b.owner.full_name),
        Column("nik", label=_("NIK"), accessor=lambda b: b.owner.masked_nik),
        Column("kecamatan", label=_("Kecamatan"), accessor=lambda b: b.kecamatan.name),
        Column("desa", label=_("Desa/kelurahan"), accessor=lambda b: b.desa.name),
        Column("kbli_category", label=_("Sector"), accessor="kbli_category"),
        Column("scale", label=_("Scale (reported / computed)"), accessor=_scale),
        Column("status", label=_("Status"), accessor=lambda b: b.get_status_display()),
        Column("source", label=_("Source"), accessor=lambda b: b.get_source_display()),
        # Plain dates: the relative date with its tooltip costs 300 bytes a cell.
        Column(
            "submitted_at",
            label=_("Submitted"),
            sort_key="submitted_at",
            accessor=_date("submitted_at"),
        ),
        Column(
            "updated_at", label=_("Updated"), sort_key="updated_at", accessor=_date("updated_at")
        ),
    ]
    inspect_view_fields = [
        "tracking_code",
        "status",
        "owner",
        "owner_confirmed",
        "name",
        "nib",
        "legal_form",
        "kbli_category",
        "kbli_code",
        "main_product",
        "description",
        "year_started",
        "address",
        "kecamatan",
        "desa",
        "rt",
        "rw",
        "postal_code",
        "latitude",
        "longitude",
        "workers_male",
        "workers_female",
        "workers_disabled",
        "capital",
        "annual_sales",
        "assets",
        "reported_scale",
        "computed_scale",
        "scale_mismatch",
        "has_shop",
        "sells_on_marketplace",
        "uses_social_media",
        "accepts_qris",
        "online_store_links",
        "directory_opt_in",
        "public_phone",
        "public_link",
        "consent_given_at",
        "consent_version",
        "source",
        "entered_by",
        "extra_answers",
        "submitted_at",
        "updated_at",
        "legal_documents",
        "photos",
        "snapshots",
        "mentor",
        "outreach_session",
        "mentoring_visits",
    ]
    panels = [
        FieldPanel("owner"),
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("nib"), FieldPanel("legal_form")]),
                FieldRowPanel([FieldPanel("kbli_category"), FieldPanel("kbli_code")]),
                FieldPanel("main_product"),
                FieldPanel("description"),
                FieldPanel("year_started"),
            ],
            heading=_("Business"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("kecamatan"), FieldPanel("desa")]),
                FieldRowPanel([FieldPanel("rt"), FieldPanel("rw"), FieldPanel("postal_code")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Location"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("capital"), FieldPanel("annual_sales"), FieldPanel("assets")]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("workers_male"),
                        FieldPanel("workers_female"),
                        FieldPanel("workers_disabled"),
                    ]
                ),
                FieldPanel("reported_scale"),
            ],
            heading=_("Money and workers"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("has_shop"), FieldPanel("sells_on_marketplace")]),
                FieldRowPanel([FieldPanel("uses_social_media"), FieldPanel("accepts_qris")]),
                FieldPanel("online_store_links"),
            ],
            heading=_("Marketing"),
        ),
        MultiFieldPanel(
            [
                FieldPanel(
                    "directory_opt_in",
                    help_text=_(
                        "Only with the owner's consent. Unticking it takes the business out of "
                        "the directory at once; ticking it applies once the version is validated."
                    ),
                ),
                FieldRowPanel(
                    [
                        FieldPanel("public_phone"),
                        FieldPanel("public_link", widget=forms.URLInput),
                    ]
                ),
            ],
            heading=_("Public UMKM directory"),
        ),
        InlinePanel("legal_documents", heading=_("Legal documents"), label=_("Document")),
        FieldPanel("mentor", permission=permissions.ASSIGN_MENTOR),
    ]
    edit_handler = ObjectList(panels, base_form_class=BusinessAdminForm)

    def listing_queryset(self, queryset):
        return selectors.with_listing_relations(queryset)
