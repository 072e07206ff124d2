"""The participant's check-in code.

It holds only an admin address with the participant's private token; scanning
it without an admin login leads to the login page.
"""

from django.urls import reverse

from core.links import absolute_url
from core.qr import svg


def check_in_url(participant):
    return absolute_url(reverse("training_check_in", args=[participant.token]))


def check_in_qr(participant, title=""):
    return svg(check_in_url(participant), title=title)
