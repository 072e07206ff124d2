from django import template

from training_pages import qr

register = template.Library()


@register.simple_tag
def check_in_qr(participant, title=""):
    return qr.check_in_qr(participant, title=title)


@register.simple_tag
def qr_code(data, title=""):
    return qr.svg(data, title=title)
