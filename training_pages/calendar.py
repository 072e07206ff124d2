"""iCalendar files of trainings and events, one event per session.

The public feeds never carry the meeting link of an online activity; only the
confirmation sent to an accepted participant asks for it with `private_link=True`.
"""

from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

PRODID = "-//Dinas Koperasi dan UKM Kabupaten Bogor//SI MBA UMI//ID"


def _zone():
    return ZoneInfo(settings.TIME_ZONE)


def location(page, *, private_link=False):
    """Where it happens, as one line: the venue, its address and kecamatan, or online."""
    if page.is_online:
        if private_link and page.online_link:
            return page.online_link
        return _("Online")
    parts = [page.venue_name, page.venue_address]
    if page.kecamatan_id:
        parts.append(_("Kecamatan %(name)s") % {"name": page.kecamatan.name})
    return ", ".join(part for part in parts if part)


def _event(page, session, *, page_url, host, private_link, stamp):
    event = Event()
    event.add("uid", f"session-{session.pk}@{host}")
    event.add("dtstamp", stamp)
    summary = f"{page.title}: {session.title}" if session.title else page.title
    event.add("summary", summary)
    event.add("dtstart", session.starts_at.astimezone(_zone()))
    event.add("dtend", session.ends_at.astimezone(_zone()))
    event.add("location", location(page, private_link=private_link))
    lines = [page.summary, "", page_url]
    if private_link and page.is_online and page.online_link:
        lines += ["", _("Meeting link: %(link)s") % {"link": page.online_link}]
    event.add("description", "\n".join(lines))
    event.add("url", page_url)
    return event


def build_calendar(activities, *, base_url, name=None, private_link=False):
    """The .ics bytes for one activity page or an iterable of them.

    `base_url` ("https://host/") makes page addresses absolute and names the host
    in each session's UID, so a calendar app updates an event instead of adding
    it twice when the feed is fetched again.
    """
    if hasattr(activities, "sessions"):
        activities = [activities]
    host = urlsplit(base_url).hostname or "localhost"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name or _("Trainings and events"))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    # Always described, even in an empty feed, so clients never guess the zone.
    calendar.add_component(Timezone.from_tzid(settings.TIME_ZONE))
    now = timezone.now()
    for page in activities:
        page_url = urljoin(base_url, page.get_url())
        stamp = page.last_published_at or now
        for session in sorted(page.sessions.all(), key=lambda s: (s.starts_at, s.pk)):
            calendar.add_component(
                _event(
                    page,
                    session,
                    page_url=page_url,
                    host=host,
                    private_link=private_link,
                    stamp=stamp,
                )
            )
    return calendar.to_ical()
