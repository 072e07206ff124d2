"""Asking for the owner's private update link over JSON (/owner-link/).

The page's own form (`LinkRequestForm`: the owner's NIK or a tracking code) checks
the request and the page's own code finds the owner and sends the link, under the
page's per-client limit (counted together with it). The answer is the same
whether or not anybody is registered under that NIK or code, so the endpoint
cannot be used to find out; the link itself only ever goes to the owner's e-mail.
"""

from ninja import Field, Router, Schema

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.api import ApiError, form_errors, idempotent, responses
from sme_registry import links, selectors
from sme_registry.views.owner_update import (
    LinkRequestForm,
    link_requests_limited,
    send_link_if_registered,
)

router = Router(tags=["Submission"])


class OwnerLinkIn(Schema):
    identifier: str = Field(
        description="The owner's NIK (16 digits) or a tracking code of one of the "
        "owner's businesses (at most 24 characters)"
    )


class OwnerLinkOut(Schema):
    message: str


@router.post(
    "/owner-link/",
    response=responses(202, OwnerLinkOut, 404, 429),
    summary="Send the owner's private update link to the owner's e-mail",
    operation_id="request_owner_link",
)
def request_owner_link(request, response: HttpResponse, payload: OwnerLinkIn):
    """Send the private link to the registered owner, as the page "Update your data" does.

    Always 202 with the same message for a well-formed request: whether the NIK
    or code is registered, and whether the owner has an e-mail, is not told.
    """
    page = selectors.registration_page_for(request)
    if page is None:
        raise ApiError.one(404, "not_found", _("Registration is not open on this site."))
    page = page.specific

    def send():
        form = LinkRequestForm({"identifier": payload.identifier}, browser=False)
        if not form.is_valid():
            raise ApiError(422, form_errors(form))
        if link_requests_limited(request):
            raise ApiError.one(
                429, "rate_limited", _("Too many requests. Please try again in an hour.")
            )
        send_link_if_registered(request, page, form)
        message = " ".join(
            [
                ngettext(
                    "If the data matches a registration with an e-mail address, we have "
                    "sent a private link to that address. It works for %(days)s day.",
                    "If the data matches a registration with an e-mail address, we have "
                    "sent a private link to that address. It works for %(days)s days.",
                    links.link_days(),
                )
                % {"days": links.link_days()},
                _(
                    "No e-mail registered? Contact the office or your kecamatan operator: "
                    "they can send you the link by WhatsApp."
                ),
            ]
        )
        return 202, {"message": message}

    return idempotent(request, response, "owner-link", send)
