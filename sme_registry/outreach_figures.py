"""Analisis → Penyuluhan: outreach sessions per kecamatan per month, the kecamatan left
without one, and the registrations each session brought.

A session counts in the kecamatan and month it was held; the period filter is its date
(the last `analysis.MONTHS_SHOWN` months when none is given). A registration is
attributed to a session when it came through the session's short link or QR code
(its referral code); the sector, scale and status filters narrow the registrations
counted, not the sessions. Kept and refreshed like the other screens.
"""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme_registry import analysis
from sme_registry.enums import Status
from sme_registry.models import OutreachSession

# A longer period is shown as its last this many months (a row of 40 kecamatan stays legible).
MONTHS_AT_MOST = 24
SESSIONS_LISTED = 100


class FilterForm(analysis.FilterForm):
    """The Registry screen's filters; the period is the session's date."""

    def __init__(self, data, user):
        super().__init__(data, user)
        self.fields["period_from"].label = gettext_lazy("Sessions from")
        self.fields["period_to"].label = gettext_lazy("Sessions until")
        self.fields["status"].label = gettext_lazy("Status of the registrations")


def months_of(plain, today):
    """The first days of the months shown, oldest first."""
    end = datetime.date.fromisoformat(plain["period_to"]) if plain.get("period_to") else today
    start = datetime.date.fromisoformat(plain["period_from"]) if plain.get("period_from") else None
    months = []
    month = end.replace(day=1)
    while len(months) < (MONTHS_AT_MOST if start else analysis.MONTHS_SHOWN):
        months.append(month)
        if start and month <= start.replace(day=1):
            break
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def sessions_in(kecamatan_ids, plain, today):
    """The sessions counted: in the scope, the area chosen and the months shown."""
    months = months_of(plain, today)
    sessions = OutreachSession.objects.filter(kecamatan__in=kecamatan_ids)
    for name in ("kecamatan", "desa"):
        if plain.get(name):
            sessions = sessions.filter(**{name: plain[name]})
    start = max(
        months[0],
        datetime.date.fromisoformat(plain["period_from"])
        if plain.get("period_from")
        else months[0],
    )
    end = datetime.date.fromisoformat(plain["period_to"]) if plain.get("period_to") else today
    return sessions.filter(date__gte=start, date__lte=end)


def numbers(kecamatan_ids, plain, today):
    """{"grid": {"kecamatan id|YYYY-MM": sessions}, "session_rows": [...], and totals}."""
    sessions = sessions_in(kecamatan_ids, plain, today)
    grid = {
        f"{kecamatan_id}|{(month.date() if hasattr(month, 'date') else month).isoformat()[:7]}": n
        for kecamatan_id, month, n in sessions.annotate(month=TruncMonth("date"))
        .values_list("kecamatan_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    others = {k: v for k, v in plain.items() if k in ("sector", "scale", "status")}
    registered = analysis.population(kecamatan_ids, others).filter(
        outreach_session__in=sessions.values("pk")
    )
    attributed = {
        session_id: (n, validated)
        for session_id, n, validated in registered.values_list("outreach_session_id")
        .annotate(n=Count("pk"), validated=Count("pk", filter=Q(status=Status.VALIDATED)))
        .order_by()
    }
    rows = []
    listed = (
        sessions.select_related("kecamatan", "desa")
        .annotate(
            listed=Count("attendees", distinct=True),
            listed_registered=Count(
                "attendees", filter=Q(attendees__business__isnull=False), distinct=True
            ),
        )
        .order_by("-date", "-pk")
    )
    totals = {"sessions": 0, "head_count": 0, "listed": 0, "registrations": 0}
    for session in listed.iterator():
        n, validated = attributed.get(session.pk, (0, 0))
        totals["sessions"] += 1
        totals["head_count"] += session.attendee_count
        totals["listed"] += session.listed
        totals["registrations"] += n
        if len(rows) < SESSIONS_LISTED:
            rows.append(
                {
                    "pk": session.pk,
                    "date": session.date.isoformat(),
                    "kecamatan": session.kecamatan.name,
                    "desa": session.desa.name,
                    "place": session.place,
                    "head_count": session.attendee_count,
                    "listed": session.listed,
                    "listed_registered": session.listed_registered,
                    "registrations": n,
                    "validated": validated,
                }
            )
    return {"grid": grid, "session_rows": rows, **totals}


class Screen(analysis.Screen):
    """The Outreach screen of one request."""

    kind = "outreach"
    # The registrations a session brought, whenever they were submitted.
    LIST_FILTERS = {
        name: list_name
        for name, list_name in analysis.Screen.LIST_FILTERS.items()
        if name not in ("period_from", "period_to")
    }

    @property
    def total_hidden(self):
        return False  # sessions are the office's own work, not people

    def months(self):
        return months_of({k: analysis._plain(v) for k, v in self.filters.items()}, self.today)

    def facts(self):
        n = self.numbers
        grid = self.grid()
        empty = sum(1 for row in grid["rows"] for cell in row["cells"] if not cell["count"])
        cells = sum(len(row["cells"]) for row in grid["rows"])
        return [
            self._fact(
                _("Sessions held"), n["sessions"], _("Outreach sessions in the months shown.")
            ),
            self._fact(
                _("Kecamatan-months without a session"),
                empty,
                _("Of the %(cells)s months of the kecamatan shown, those with no session held.")
                % {"cells": cells},
            ),
            self._fact(
                _("Attendees"),
                n["head_count"],
                _(
                    "The head counts staff entered; %(listed)s of the attendees are listed by "
                    "name or business."
                )
                % {"listed": n["listed"]},
            ),
            {
                **self._fact(
                    _("Registrations attributed"),
                    n["registrations"],
                    _(
                        "Records (not merged into another) that came in through a session's "
                        "short link or QR code, within the sector, scale and status filters."
                    ),
                ),
                "hidden": self.hidden(n["registrations"]),
            },
        ]

    def _fact(self, label, count, definition):
        return {
            "label": label,
            "count": count,
            "hidden": False,
            "share": None,
            "definition": definition,
            "link": None,
        }

    def grid(self):
        """A row per kecamatan shown, a column per month: sessions held, none marked."""
        months = self.months()
        kept = self.numbers["grid"]
        rows = []
        for kecamatan in self._kecamatan_shown():
            cells = [
                {"count": kept.get(f"{kecamatan.pk}|{month.isoformat()[:7]}", 0)}
                for month in months
            ]
            rows.append(
                {
                    "label": kecamatan.name,
                    "cells": cells,
                    "total": sum(cell["count"] for cell in cells),
                }
            )
        without = [
            sum(1 for row in rows if not row["cells"][i]["count"]) for i in range(len(months))
        ]
        return {"months": months, "rows": rows, "without": without}

    def sessions(self):
        rows = []
        for row in self.numbers["session_rows"]:
            hidden = self.hidden(row["registrations"])
            rows.append(
                {
                    **row,
                    "date": datetime.date.fromisoformat(row["date"]),
                    "registrations": None if hidden else row["registrations"],
                    "validated": None
                    if hidden or self.hidden(row["validated"])
                    else row["validated"],
                    "hidden": hidden,
                    "link": (
                        self._list_link(outreach_session=row["pk"])
                        if row["registrations"]
                        else None
                    ),
                }
            )
        return rows
