"""The public side of trainings and events: the filtered list, a month calendar, iCal feeds.

The index page's routes call these; all the rules about what is shown come from
`training_pages.selectors`.
"""

import calendar as calendar_module
import datetime
import re
from collections import defaultdict

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import urlencode

from training_pages import selectors
from training_pages.calendar import build_calendar
from training_pages.forms import ActivityFilterForm

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_YEAR, LAST_YEAR = 2000, 2100


def index(request, page):
    form = ActivityFilterForm(request.GET, index=page)
    filters = form.filters()
    paginator = Paginator(selectors.listing(page, **filters), page.per_page or 10)
    try:
        items = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        items = paginator.page(1)
    except EmptyPage:
        items = paginator.page(paginator.num_pages)
    kept = {
        name: value
        for name, value in request.GET.items()
        if name != "page" and name in form.fields and value
    }
    context = page.get_context(request)
    context.update(
        form=form,
        items=items,
        paginator=paginator,
        showing_past=filters["when"] == selectors.PAST,
        is_filtered=any(filters[k] for k in ("topic", "kecamatan", "mode", "q")),
        pagination_extra=urlencode(kept) + "&" if kept else "",
    )
    return TemplateResponse(request, page.get_template(request), context)


def _month_from(value, today):
    match = MONTH_RE.match(value or "")
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12:
            return datetime.date(year, month, 1)
    return today.replace(day=1)


def _shift_month(first, months):
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def calendar(request, page):
    """A month grid, weeks from Monday; each day lists what has a session that day."""
    today = timezone.localdate()
    month = _month_from(request.GET.get("bulan"), today)
    weeks = calendar_module.Calendar(firstweekday=calendar_module.MONDAY).monthdatescalendar(
        month.year, month.month
    )
    start = timezone.make_aware(datetime.datetime.combine(weeks[0][0], datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(weeks[-1][-1] + datetime.timedelta(days=1), datetime.time.min)
    )
    by_day = defaultdict(list)
    for session in selectors.sessions_between(page, start, end):
        by_day[timezone.localtime(session.starts_at).date()].append(session)
    grid = [
        [
            {
                "date": day,
                "in_month": day.month == month.month,
                "is_today": day == today,
                "sessions": by_day.get(day, []),
            }
            for day in week
        ]
        for week in weeks
    ]
    previous_month, next_month = _shift_month(month, -1), _shift_month(month, 1)
    context = page.get_context(request)
    context.update(
        month=month,
        weeks=grid,
        weekdays=weeks[0],
        previous_month=previous_month if previous_month.year >= FIRST_YEAR else None,
        next_month=next_month if next_month.year <= LAST_YEAR else None,
        this_month=today.replace(day=1),
        month_sessions=[
            day for week in grid for day in week if day["in_month"] and day["sessions"]
        ],
    )
    return TemplateResponse(request, "training_pages/calendar.html", context)


def _ics_response(content, filename, disposition):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def feed(request, page):
    """All upcoming and recent trainings and events of the index, for subscribing."""
    content = build_calendar(
        selectors.feed_activities(page),
        base_url=request.build_absolute_uri("/"),
        name=page.title,
    )
    return _ics_response(content, f"{page.slug}.ics", "inline")


def page_ics(request, page):
    """One training or event, to add to a phone's calendar."""
    content = build_calendar(page, base_url=request.build_absolute_uri("/"), name=page.title)
    return _ics_response(content, f"{page.slug}.ics", "attachment")
