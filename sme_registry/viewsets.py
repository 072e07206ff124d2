"""The registry in the Wagtail admin, through Wagtail's own snippet viewsets."""

import django_filters

from django import forms
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import (
    IndexView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from sme_registry import audit, permissions
from sme_registry.models import (
    Business,
    Desa,
    EmailTemplate,
    Kecamatan,
    Owner,
    Source,
    StaffArea,
    Status,
)
from sme_registry.paginators import EstimatedCountPaginator
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


class ScopedOwnerChooserMixin:
    """The owner chooser (e.g. in a business's edit form) offers owners in scope only."""

    def get_object_list(self):
        return permissions.scoped_owners(self.request.user)


class OwnerChooseView(ScopedOwnerChooserMixin, ChooseView):
    pass


class OwnerChooseResultsView(ScopedOwnerChooserMixin, ChooseResultsView):
    pass


class OwnerChosenView(SnippetChosenView):
    def get_object(self, pk):
        return permissions.scoped_owners(self.request.user).get(pk=pk)


class OwnerChooserViewSet(SnippetChooserViewSet):
    choose_view_class = OwnerChooseView
    choose_results_view_class = OwnerChooseResultsView
    chosen_view_class = OwnerChosenView


class BusinessInspectView(InspectView):
    """Documents and photos open through the permission-checked file view."""

    labels = {
        "legal_documents": _("Legal documents"),
        "photos": _("Product photos"),
        "trainings": _("Trainings and events"),
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


class OwnerIndexView(IndexView):
    paginator_class = EstimatedCountPaginator


class BusinessViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = Business
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


class RegistryViewSetGroup(SnippetViewSetGroup):
    items = (BusinessViewSet, OwnerViewSet, StaffAreaViewSet, EmailTemplateViewSet)
    menu_icon = "form"
    menu_label = _("UMKM registry")
    menu_name = "registry"
    menu_order = 150
