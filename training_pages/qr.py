"""QR codes drawn as inline SVG: nothing to store, nothing fetched from elsewhere.

The check-in code holds only an admin address with the participant's private
token; scanning it without an admin login leads to the login page.
"""

import segno

from django.urls import reverse
from django.utils.safestring import mark_safe

from sme_registry.links import absolute_url


def check_in_url(participant):
    return absolute_url(reverse("training_check_in", args=[participant.token]))


def svg(data, *, title="", scale=4):
    """An inline <svg> for `data`, sized by its viewBox so CSS can scale it."""
    code = segno.make(data, error="m", micro=False)
    drawn = code.svg_inline(
        scale=scale, border=2, light="#fff", title=title or None, svgclass="qr", omitsize=True
    )
    # segno escapes the title it writes; the rest is its own markup.
    return mark_safe(drawn.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308


def check_in_qr(participant, title=""):
    return svg(check_in_url(participant), title=title)
