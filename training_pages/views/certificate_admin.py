"""Certificates in the Wagtail admin: a scoped, read-only list with a revoke action.

Certificates are never typed in or edited by hand: they are issued from the
attendance area and can only be revoked, with a reason.
"""

import django_filters

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton

from core.viewsets import ScopedViewSetMixin
from training_pages import certificates, permissions
from training_pages.models import ActivityPage, Certificate


class CertificateFilterSet(WagtailFilterSet):
    valid = django_filters.BooleanFilter(
        label=gettext_lazy("Valid (not revoked)"), field_name="revoked_at", lookup_expr="isnull"
    )
    training = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Training or event"),
        field_name="participant__page",
        queryset=ActivityPage.objects.filter(participants__certificate__isnull=False)
        .distinct()
        .order_by("-starts_at"),
    )

    class Meta:
        model = Certificate
        fields = []


_RELATED = ("participant__page", "participant__business__owner")


class CertificateIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related(*_RELATED)

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        code = certificates.normalise_code(self.search_query)
        return queryset.filter(
            Q(code__contains=code) | Q(participant__business__name__icontains=self.search_query)
        )

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.is_valid and permissions.can_revoke_certificates(self.request.user):
            buttons.append(
                ListingButton(
                    _("Revoke"),
                    reverse("training_certificate_revoke", args=[instance.pk]),
                    icon_name="cross",
                    priority=30,
                )
            )
        return buttons


class CertificateInspectView(InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(
            permissions.scoped_certificates(
                self.request.user, Certificate.objects.select_related(*_RELATED)
            ),
            pk=self.pk,
        )


def _status(certificate):
    if certificate.is_valid:
        return _("valid")
    return _("revoked")


class CertificateViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = gettext_lazy("Certificates")
    url_prefix = "training/certificates"
    add_to_admin_menu = False
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = CertificateFilterSet
    search_fields = ["code"]
    search_backend_name = None
    list_per_page = 50
    ordering = ["-issued_at"]
    list_display = [
        "__str__",  # the code, with the row's buttons (inspect, revoke)
        Column(
            "attendee",
            label=gettext_lazy("Attendee"),
            accessor=lambda c: c.participant.display_name,
        ),
        Column(
            "business", label=gettext_lazy("Business"), accessor=lambda c: c.participant.business
        ),
        Column(
            "training",
            label=gettext_lazy("Training or event"),
            accessor=lambda c: c.participant.page.title,
        ),
        Column("state", label=gettext_lazy("Status"), accessor=_status),
        DateColumn("issued_at", label=gettext_lazy("Issued")),
    ]
    form_fields = ["revoked_reason"]  # required by the viewset; editing is never allowed
    inspect_view_fields = ["code", "participant", "issued_at", "revoked_at", "revoked_reason"]


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown to anyone who verifies the certificate."),
        error_messages={"required": gettext_lazy("Give the reason for revoking the certificate.")},
    )


def revoke(request, pk):
    certificate = permissions.certificate_policy.get_object(
        request.user, "revoke", Certificate.objects.select_related(*_RELATED), pk=pk
    )
    form = RevokeForm(request.POST or None)
    if not certificate.is_valid:
        messages.info(request, _("This certificate was already revoked."))
        return redirect(reverse("training_certificates:index"))
    if request.method == "POST" and form.is_valid():
        try:
            certificates.revoke_certificate(
                certificate, reason=form.cleaned_data["reason"], user=request.user
            )
        except ValidationError as exc:
            form.add_error("reason" if hasattr(exc, "error_dict") else None, exc)
        else:
            messages.success(
                request,
                _("Certificate %(code)s revoked.") % {"code": certificate.code_display},
            )
            return redirect(reverse("training_certificates:index"))
    return TemplateResponse(
        request,
        "training_pages/admin/revoke.html",
        {
            "header_title": _("Revoke a certificate"),
            "certificate": certificate,
            "participant": certificate.participant,
            "form": form,
        },
    )


certificate_viewset = CertificateViewSet("training_certificates")
