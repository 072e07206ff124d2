"""Analisis → Peta: the page (with its table, which works without JavaScript), the data
its script draws, the boundary file, and the upload of that file by the office."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from sme_registry import boundaries, maps, permissions
from sme_registry.models import BoundaryFile
from sme_registry.views.analysis import common_context, open_screen


@require_safe
def map_view(request):
    form, filters, screen = open_screen(request, maps)
    boundary = boundaries.current()
    query = request.GET.urlencode()
    return TemplateResponse(
        request,
        "sme_registry/admin/analysis/map.html",
        {
            **common_context(form, filters, screen),
            "header_title": _("Analysis: map"),
            "rows": screen.kecamatan_rows(),
            "shadings": maps.SHADINGS,
            "total": screen.numbers["total"],
            "located": screen.numbers["located"],
            "located_hidden": screen.hidden(screen.numbers["located"]),
            "shows_points": screen.shows_points,
            "points_max": settings.MAP_POINTS_MAX,
            "boundary": boundary,
            "can_upload": permissions.boundary_file_policy.user_has_permission(request.user, "add"),
            "map_config": {
                **maps.map_settings(),
                "data_url": reverse("sme_registry_analysis_map_data")
                + (f"?{query}" if query else ""),
                # A new file gets a new address: the browser keeps the shapes an hour.
                "boundaries_url": (
                    f"{reverse('sme_registry_analysis_map_boundaries')}?v={boundary.pk}"
                    if boundary
                    else None
                ),
                "strings": {
                    "businesses": _("businesses"),
                    "hidden": _("hidden (1 to 4)"),
                    "open": _("Open the record"),
                    "list": _("Open these records"),
                    "no_data": _("no data"),
                },
            },
        },
    )


@require_safe
def map_data(request):
    """The points or squares and the kecamatan figures, for the same filters and scope."""
    _form, _filters, screen = open_screen(request, maps)
    response = JsonResponse(screen.data())
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def map_boundaries(request):
    """The kecamatan boundaries (public geography, for anyone who sees the map)."""
    if not permissions.can_view_analysis(request.user):
        raise PermissionDenied
    boundary = BoundaryFile.objects.first()
    if boundary is None:
        raise Http404
    response = JsonResponse(boundary.geojson)
    response["Cache-Control"] = "private, max-age=3600"
    return response


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Boundary file of the 40 kecamatan (GeoJSON)"),
        help_text=gettext_lazy(
            "As published by BIG or BPS, in WGS 84 degrees, one feature per kecamatan with its "
            "Kemendagri code (e.g. 32.01.01) in one of its properties. A file for the whole "
            "province is fine: the other regencies are left out."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.checked = boundaries.read(uploaded)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return uploaded


@require_http_methods(["GET", "POST"])
def boundary_upload(request):
    """Admin Dinas replaces or removes the boundary file; others are refused."""
    policy = permissions.boundary_file_policy
    if not policy.user_has_permission(request.user, "add"):
        raise PermissionDenied
    form = BoundaryUploadForm()
    if request.method == "POST":
        if "remove" in request.POST:
            if not policy.user_has_permission(request.user, "delete"):
                raise PermissionDenied
            if boundaries.remove(request.user):
                messages.success(
                    request, _("The boundary file was removed: the map shows points only.")
                )
            return redirect("sme_registry_analysis_map")
        form = BoundaryUploadForm(request.POST, request.FILES)
        if form.is_valid():
            saved = boundaries.replace(form.checked, form.cleaned_data["file"].name, request.user)
            messages.success(
                request,
                _("Boundaries of %(count)s kecamatan saved: the map shades them now.")
                % {"count": saved.feature_count},
            )
            return redirect("sme_registry_analysis_map")
    return TemplateResponse(
        request,
        "sme_registry/admin/analysis/boundaries.html",
        {
            "form": form,
            "boundary": boundaries.current(),
            "can_remove": policy.user_has_permission(request.user, "delete"),
            "header_title": _("Kecamatan boundaries for the map"),
        },
    )
