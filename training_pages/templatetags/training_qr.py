from django import template

from core import qr as core_qr
from training_pages import qr

register = template.Library()


@register.simple_tag
def check_in_qr(participant, title=""):
    return qr.check_in_qr(participant, title=title)


@register.simple_tag
def qr_code(data, title=""):
    return core_qr.svg(data, title=title)
