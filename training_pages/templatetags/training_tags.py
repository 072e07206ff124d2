"""Dates, places and seats of trainings and events as visitors read them (Jakarta time)."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from training_pages import calendar, selectors

register = template.Library()


def _local(value):
    return timezone.localtime(value)


@register.filter
def session_time(session):
    """'9.00–12.00 WIB' (the end's date is given too when it is another day)."""
    start, end = _local(session.starts_at), _local(session.ends_at)
    if end.date() == start.date():
        until = time_format(end)
    else:
        until = f"{date_format(end, 'j F Y')} {time_format(end)}"
    return f"{time_format(start)}–{until} {date_format(start, 'T')}"


@register.filter
def session_day(session):
    """'Kamis, 3 Desember 2026'."""
    return date_format(_local(session.starts_at), "l, j F Y")


@register.filter
def activity_dates(page):
    """The day, or the first and last day, of an activity: '3 Desember 2026', '3–4 ...'."""
    if not page.starts_at:
        return ""
    start, end = _local(page.starts_at).date(), _local(page.ends_at).date()
    if start == end:
        return date_format(start, "l, j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{date_format(end, 'j F Y')}"
    if start.year == end.year:
        return f"{date_format(start, 'j F')} – {date_format(end, 'j F Y')}"
    return f"{date_format(start, 'j F Y')} – {date_format(end, 'j F Y')}"


@register.filter
def first_session_time(page):
    """The hours of the first session, for a card."""
    sessions = page.ordered_sessions()
    return session_time(sessions[0]) if sessions else ""


@register.filter
def place(page):
    """Venue, address and kecamatan, or 'Online' (never the meeting link)."""
    return calendar.location(page)


@register.filter
def seats_left(page):
    return selectors.seats_left(page)


@register.filter
def sign_up_label(page):
    return {
        "open": _("Sign-up open"),
        "not_yet": _("Sign-up not open yet"),
        "closed": _("Sign-up closed"),
    }[page.sign_up_state()]
