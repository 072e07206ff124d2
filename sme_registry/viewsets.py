"""The registry in the Wagtail admin, through Wagtail's own snippet viewsets."""

import django_filters

from django import forms
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from core import audit
from core.pagination import EstimatedCountPaginator
from sme_registry import permissions, services
from sme_registry.models import (
    Business,
    Desa,
    EmailTemplate,
    Kecamatan,
    MentoringVisit,
    OutreachSession,
    Owner,
    Source,
    StaffArea,
    Status,
)
from sme_registry.validators import KBLI_CATEGORIES, Scale


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
    likely_duplicate = django_filters.BooleanFilter(
        label=_("Likely duplicate"),
        field_name="possible_duplicates",
        lookup_expr="isnull",
        exclude=True,
        distinct=True,
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


def _scoped(view, scope):
    """Wrap a view taking `pk`: a record outside the user's scope answers 404."""

    def scoped_view(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None and not scope(request.user).filter(pk=unquote(str(pk))).exists():
            raise Http404
        return view(request, *args, **kwargs)

    return scoped_view


class ScopedViewSetMixin:
    """Every listing and every per-record view of the viewset goes through the scope."""

    def scope(self, user):
        raise NotImplementedError

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            if "pk" in str(pattern.pattern):
                pattern.callback = _scoped(pattern.callback, self.scope)
        return patterns


class BusinessIndexView(IndexView):
    """The business list; every export is written to the audit log."""

    paginator_class = EstimatedCountPaginator

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            audit.record(
                self.request.user,
                audit.EXPORT,
                model="business",
                format=self.request.GET.get("export"),
                query=self.request.GET.urlencode(),
                rows=len(context["object_list"]),
            )
        return super().render_to_response(context, **response_kwargs)


class ScopedChooserMixin:
    """A chooser (e.g. the owner field of a business) offers records in the user's scope only."""

    scope = None  # a function (user) -> queryset

    def get_object_list(self):
        return type(self).scope(self.request.user)


class ScopedChosenView(SnippetChosenView):
    scope = None

    def get_object(self, pk):
        return type(self).scope(self.request.user).get(pk=pk)


def scoped_chooser_viewset(scope):
    """Chooser views of a snippet, all limited to `scope`; a record outside it answers 404."""
    attrs = {"scope": staticmethod(scope)}
    return type(
        "ScopedChooserViewSet",
        (SnippetChooserViewSet,),
        {
            "choose_view_class": type("ChooseView", (ScopedChooserMixin, ChooseView), attrs),
            "choose_results_view_class": type(
                "ChooseResultsView", (ScopedChooserMixin, ChooseResultsView), attrs
            ),
            "chosen_view_class": type("ChosenView", (ScopedChosenView,), attrs),
        },
    )


OwnerChooserViewSet = scoped_chooser_viewset(permissions.scoped_owners)
BusinessChooserViewSet = scoped_chooser_viewset(permissions.scoped_businesses)


class BusinessInspectView(InspectView):
    """Documents and photos open through the permission-checked file view."""

    labels = {
        "legal_documents": _("Legal documents"),
        "photos": _("Product photos"),
        "trainings": _("Trainings and events"),
        "mentoring_visits": _("Mentoring visits"),
    }

    def get_field_label(self, field_name, field):
        return self.labels.get(field_name) or super().get_field_label(field_name, field)

    def _links(self, items, kind, label):
        rows = []
        for item in items:
            stored = item.file.name if kind == "dokumen" else item.image.name
            if stored:
                url = reverse("sme_registry_private_file", args=[kind, item.pk])
                rows.append(format_html('<a href="{}" target="_blank">{}</a>', url, label(item)))
            else:
                rows.append(format_html("{}", label(item)))
        if not rows:
            return "-"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in rows)))

    def get_legal_documents_display_value(self):
        return self._links(self.object.legal_documents.all(), "dokumen", str)

    def get_photos_display_value(self):
        return self._links(
            self.object.photos.all(), "foto", lambda p: p.caption or _("Product photo")
        )

    def get_trainings_display_value(self):
        """Trainings and events the business took part in (attendance, certificates)."""
        from django.template.loader import render_to_string

        from training_pages.attendance import training_history

        return render_to_string(
            "training_pages/admin/includes/training_history.html",
            {"participations": training_history(self.object)},
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
        if not rows:
            return "-"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in rows)))


class OwnerIndexView(IndexView):
    paginator_class = EstimatedCountPaginator


class BusinessAdminForm(WagtailAdminModelForm):
    """The mentor is chosen among active users in the mentor role only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "mentor" in self.fields:
            self.fields["mentor"].queryset = permissions.mentor_candidates()


class BusinessEditView(EditView):
    def save_instance(self):
        instance = super().save_instance()
        if "mentor" in self.form.changed_data:
            # Applies at once: no validation step stands between the office and its mentors.
            services.assign_mentor([instance], instance.mentor, user=self.request.user)
        return instance


class BusinessViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = Business
    chooser_viewset_class = BusinessChooserViewSet
    icon = "form"
    menu_label = _("Businesses")
    url_prefix = "registry/businesses"
    list_per_page = 50
    ordering = ["-submitted_at"]
    search_fields = ["name", "owner__full_name", "nib", "tracking_code"]
    search_backend_name = None
    filterset_class = BusinessFilterSet
    index_view_class = BusinessIndexView
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
        DateColumn("submitted_at", label=_("Submitted")),
        DateColumn("updated_at", label=_("Updated")),
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
        "consent_given_at",
        "consent_version",
        "source",
        "entered_by",
        "extra_answers",
        "submitted_at",
        "updated_at",
        "legal_documents",
        "photos",
        "trainings",
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
                FieldPanel("directory_opt_in"),
            ],
            heading=_("Marketing"),
        ),
        InlinePanel("legal_documents", heading=_("Legal documents"), label=_("Document")),
        FieldPanel("mentor"),
        FieldPanel("status"),
    ]
    edit_handler = ObjectList(panels, base_form_class=BusinessAdminForm)

    def scope(self, user):
        return permissions.scoped_businesses(user)

    def get_queryset(self, request):
        return permissions.scoped_businesses(
            request.user, Business.objects.select_related("owner", "kecamatan", "desa")
        )


class OwnerViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = Owner
    icon = "user"
    menu_label = _("Owners")
    url_prefix = "registry/owners"
    index_view_class = OwnerIndexView
    chooser_viewset_class = OwnerChooserViewSet
    list_per_page = 50
    ordering = ["full_name"]
    search_fields = ["full_name"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "full_name",
        Column("nik", label=_("NIK"), accessor="masked_nik"),
        Column("phone", label=_("Phone"), accessor="masked_phone"),
        Column(
            "kecamatan",
            label=_("Kecamatan"),
            accessor=lambda o: o.kecamatan.name if o.kecamatan_id else "—",
        ),
        BooleanColumn("nik_outside_bogor", label=_("NIK from outside Bogor")),
        BooleanColumn("birth_date_mismatch", label=_("Birth date differs from NIK")),
        DateColumn("created_at", label=_("Registered")),
    ]
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

    def scope(self, user):
        return permissions.scoped_owners(user)

    def get_queryset(self, request):
        return permissions.scoped_owners(request.user, Owner.objects.select_related("kecamatan"))


class StaffAreaViewSet(SnippetViewSet):
    model = StaffArea
    icon = "site"
    menu_label = _("Operator areas")
    url_prefix = "registry/areas"
    list_display = [
        "user",
        Column(
            "kecamatan",
            label=_("Kecamatan"),
            accessor=lambda a: ", ".join(k.name for k in a.kecamatan.all()),
        ),
    ]
    panels = [FieldPanel("user"), FieldPanel("kecamatan", widget=forms.CheckboxSelectMultiple)]

    def get_queryset(self, request):
        return StaffArea.objects.select_related("user").prefetch_related("kecamatan")


class EmailTemplateViewSet(SnippetViewSet):
    model = EmailTemplate
    icon = "mail"
    menu_label = _("E-mail texts")
    url_prefix = "registry/email-texts"
    list_display = ["kind", "subject"]
    panels = [FieldPanel("kind"), FieldPanel("subject"), FieldPanel("body")]


# --- Outreach sessions (penyuluhan) ----------------------------------------------------


class OutreachSessionFilterSet(WagtailFilterSet):
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=Kecamatan.objects.all()
    )
    date = django_filters.DateFromToRangeFilter(label=_("Date"))

    class Meta:
        model = OutreachSession
        fields = []


class DesaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.kecamatan.name})"


class OutreachSessionForm(WagtailAdminModelForm):
    """Kecamatan and desa within the user's area; staff among active admin users."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        kecamatan = permissions.scoped_outreach_kecamatan(self.for_user)
        self.fields["kecamatan"].queryset = kecamatan
        desa = self.fields["desa"]
        self.fields["desa"] = DesaChoiceField(
            queryset=Desa.objects.filter(kecamatan__in=kecamatan).select_related("kecamatan"),
            label=desa.label,
            help_text=desa.help_text,
        )
        self.fields["staff"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=permissions.ROLES)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )


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
    labels = {"photos": _("Photos"), "businesses": _("Registrations")}

    def get_field_label(self, field_name, field):
        return self.labels.get(field_name) or super().get_field_label(field_name, field)

    def get_staff_display_value(self):
        return ", ".join(u.get_full_name() or u.get_username() for u in self.object.staff.all())

    def get_photos_display_value(self):
        return ", ".join(str(p) for p in self.object.photos.select_related("image")) or "-"

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
    add_view_class = OutreachSessionCreateView
    edit_view_class = OutreachSessionEditView
    inspect_view_class = OutreachSessionInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
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
        "photos",
    ]
    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("attendee_count")]),
        FieldRowPanel([FieldPanel("kecamatan"), FieldPanel("desa")]),
        FieldPanel("place"),
        FieldPanel("staff", widget=forms.CheckboxSelectMultiple),
        FieldPanel("notes"),
        InlinePanel("photos", heading=_("Photos"), label=_("Photo")),
    ]
    edit_handler = ObjectList(panels, base_form_class=OutreachSessionForm)

    def scope(self, user):
        return permissions.scoped_outreach_sessions(user)

    def get_queryset(self, request):
        return permissions.scoped_outreach_sessions(
            request.user,
            OutreachSession.objects.select_related("kecamatan", "desa").annotate(
                registrations=Count("businesses", filter=Q(businesses__merged_into__isnull=True))
            ),
        )


# --- Mentoring (pendampingan) ------------------------------------------------------------


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


class MentoringVisitForm(WagtailAdminModelForm):
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
        if not rows:
            return "-"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in rows)))


def _person(user):
    return (user.get_full_name() or user.get_username()) if user else "—"


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
        Column("mentor", label=_("Mentor"), accessor=lambda v: _person(v.mentor)),
        Column("open_follow_ups", label=_("Open follow-ups"), sort_key="open_follow_ups"),
        Column(
            "next_visit_on",
            label=_("Next visit"),
            sort_key="next_visit_on",
            accessor=lambda v: v.next_visit_on.strftime("%d-%m-%Y") if v.next_visit_on else "—",
        ),
    ]
    inspect_view_fields = [
        "business",
        "mentor",
        "visited_on",
        "kind",
        "topics",
        "notes",
        "follow_ups",
        "next_visit_on",
        "annual_sales",
        "capital",
        "assets",
        "workers_male",
        "workers_female",
        "workers_disabled",
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

    def scope(self, user):
        return permissions.scoped_mentoring_visits(user)

    def get_queryset(self, request):
        return permissions.scoped_mentoring_visits(
            request.user,
            MentoringVisit.objects.select_related("business__kecamatan", "mentor").annotate(
                open_follow_ups=Count("follow_ups", filter=Q(follow_ups__done_on__isnull=True))
            ),
        )


class RegistryViewSetGroup(SnippetViewSetGroup):
    items = (
        BusinessViewSet,
        OwnerViewSet,
        OutreachSessionViewSet,
        MentoringVisitViewSet,
        StaffAreaViewSet,
        EmailTemplateViewSet,
    )
    menu_icon = "form"
    menu_label = _("UMKM registry")
    menu_name = "registry"
    menu_order = 150
