"""The public status page: a tracking code in, a state in plain Indonesian out."""

from django import forms
from django.conf import settings
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from core import ratelimit
from core.views import too_many_requests
from sme_registry import selectors


class StatusForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        help_text=_("The 12-character code you received after registering, e.g. AB3D-7KQ2-M9XT."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


def status_lookup(request, page):
    result = None
    form = StatusForm(request.GET or None)
    if form.is_valid():
        if ratelimit.is_limited(request, "status", settings.STATUS_LOOKUPS_PER_HOUR, 3600):
            return too_many_requests(request)
        business = selectors.business_for_tracking_code(form.cleaned_data["code"])
        if business is None:
            form.add_error("code", _("No registration has this tracking code. Check the code."))
        else:
            label, text = selectors.public_status(business)
            result = {"label": label, "text": text, "submitted_at": business.submitted_at}
    context = page.get_context(request)
    context.update(form=form, result=result)
    response = TemplateResponse(request, "sme_registry/status.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
