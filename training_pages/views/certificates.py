"""The printable certificate for the participant, and the public verification pages."""

from django import forms
from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import ratelimit
from core.views import too_many_requests
from training_pages import certificates
from training_pages.models import Participant


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def certificate(request, page, token):
    """A4 landscape, print-ready; only for the holder of the private participant link."""
    participant = get_object_or_404(
        Participant.objects.select_related("business__owner", "certificate"),
        page=page,
        token=token,
    )
    certificate = getattr(participant, "certificate", None)
    if certificate is None:
        return _private(
            TemplateResponse(
                request,
                "training_pages/certificate_unavailable.html",
                {"page": page, "participant": participant},
                status=404,
            )
        )
    verify_url = request.build_absolute_uri(
        reverse("certificate_verify_code", args=[certificate.code])
    )
    context = {
        "page": page,
        "participant": participant,
        "certificate": certificate,
        "sessions": page.ordered_sessions(),
        "verify_url": verify_url,
    }
    if not certificate.is_valid:
        return _private(
            TemplateResponse(
                request, "training_pages/certificate_unavailable.html", context, status=410
            )
        )
    return _private(TemplateResponse(request, "training_pages/certificate.html", context))


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate code"),
        max_length=30,
        help_text=_("The 10-character code printed on the certificate, e.g. AB3DE-7KQ2M."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        code = certificates.normalise_code(self.cleaned_data["code"])
        if not certificates.is_well_formed(code):
            raise forms.ValidationError(
                _("A certificate code has 10 letters and digits, e.g. AB3DE-7KQ2M.")
            )
        return code


def _limited(request):
    limit = getattr(settings, "CERTIFICATE_LOOKUPS_PER_HOUR", settings.STATUS_LOOKUPS_PER_HOUR)
    return ratelimit.is_limited(request, "certificate", limit, 3600)


def verify_form(request):
    """Type the code (a GET form, works without JavaScript); a valid code goes to its result."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("certificate_verify_code", code=form.cleaned_data["code"])
    return TemplateResponse(request, "training_pages/certificate_verify.html", {"form": form})


def verify_result(request, code):
    normalised = certificates.normalise_code(code)
    if normalised != code and certificates.is_well_formed(normalised):
        return redirect("certificate_verify_code", code=normalised)
    if _limited(request):
        return too_many_requests(request)
    found = certificates.verify(normalised)
    context = {
        "form": VerifyForm(initial={"code": code}),
        "certificate": found,
        "code": code,
    }
    if found is not None:
        context.update(
            participant=found.participant,
            activity=found.participant.page,
            sessions=found.participant.page.ordered_sessions(),
        )
    response = TemplateResponse(
        request,
        "training_pages/certificate_verify.html",
        context,
        status=200 if found is not None else 404,
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
