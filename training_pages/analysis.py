"""Analisis → Pelatihan: sign-ups, waiting lists, attendance, no-shows and certificates,
per training or event and per topic.

The participants counted are those whose business is in the registry screen's population
(`sme_registry.analysis.population`: the user's kecamatan, the area, sector, scale and
status filters), of activities that start in the period. Counted with two GROUP BY reads
and kept and refreshed like the registry's screens (`analysis.figures_for`); an
attendance or sign-up written counts as a change of the figures (`analysis.watch`).
"""

import datetime
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme_registry import analysis, permissions, selectors
from training_pages.models import ActivityPage, ActivityTopicTag, Certificate, Participant
from training_pages.models import ParticipantStatus as S

# (key, label, the statuses it counts)
COUNTS = (
    ("signed_up", gettext_lazy("Sign-ups"), None),
    ("waiting", gettext_lazy("On the waiting list"), (S.WAITLISTED,)),
    ("attended", gettext_lazy("Attended"), (S.ATTENDED,)),
    ("no_show", gettext_lazy("Did not come"), (S.NO_SHOW,)),
)
BUSINESS_FILTERS = ("kecamatan", "desa", "sector", "scale", "status")


class FilterForm(analysis.FilterForm):
    """The Registry screen's filters; the period is when the activity starts."""

    def __init__(self, data, user):
        super().__init__(data, user)
        self.fields["period_from"].label = gettext_lazy("Activities starting from")
        self.fields["period_to"].label = gettext_lazy("Activities starting until")
        self.fields["status"].label = gettext_lazy("Status of the business")


def participants(kecamatan_ids, plain):
    """The sign-ups the screen counts, for a scope and its filters (plain values)."""
    others = {k: v for k, v in plain.items() if k in BUSINESS_FILTERS}
    queryset = Participant.objects.filter(
        business__in=analysis.population(kecamatan_ids, others).values("pk")
    )
    if plain.get("period_from"):
        start = datetime.date.fromisoformat(plain["period_from"])
        queryset = queryset.filter(page__starts_at__gte=selectors.day_start(start))
    if plain.get("period_to"):
        end = datetime.date.fromisoformat(plain["period_to"]) + datetime.timedelta(days=1)
        queryset = queryset.filter(page__starts_at__lt=selectors.day_start(end))
    return queryset


def numbers(kecamatan_ids, plain, today):
    """{"pages": {page id: {status: n}}, "certificates": {page id: n}}."""
    queryset = participants(kecamatan_ids, plain)
    pages = {}
    for page_id, status, n in (
        queryset.values_list("page_id", "status").annotate(n=Count("pk")).order_by()
    ):
        pages.setdefault(page_id, {})[status] = n
    certificates = dict(
        Certificate.objects.filter(participant__in=queryset.values("pk"), revoked_at__isnull=True)
        .values_list("participant__page_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {"pages": pages, "certificates": certificates}


def _tally(statuses, certificates):
    """The row's numbers from {status: n} and the certificates counted."""
    row = {
        key: sum(n for status, n in statuses.items() if wanted is None or status in wanted)
        for key, _label, wanted in COUNTS
    }
    row["certificates"] = certificates
    settled = row["attended"] + row["no_show"]
    row["rate"] = round(100.0 * row["attended"] / settled, 1) if settled else None
    return row


class Screen(analysis.Screen):
    """The Trainings screen of one request."""

    kind = "trainings"

    def __init__(self, user, filters, today=None):
        super().__init__(user, filters, today)
        # The participant list holds every sign-up of an activity the user may see, so a
        # count opens it only when it counts exactly those: the whole kabupaten, no filter
        # on the businesses.
        self.participant_links = (
            self.linked
            and permissions.sees_all_kecamatan(user)
            and not any(name in filters for name in BUSINESS_FILTERS)
            and user.has_perm("training_pages.view_participant")
        )

    @property
    def total_hidden(self):
        return self.hidden(self.totals()["signed_up"])

    def totals(self):
        everything = {}
        for statuses in self.numbers["pages"].values():
            for status, n in statuses.items():
                everything[status] = everything.get(status, 0) + n
        return _tally(everything, sum(self.numbers["certificates"].values()))

    def facts(self):
        totals = self.totals()
        return [
            self._fact(
                totals["signed_up"],
                _("Sign-ups"),
                _(
                    "Sign-ups of the businesses within the filters for trainings and events "
                    "that start in the period, whatever became of them."
                ),
            ),
            {
                **self._fact(
                    totals["attended"],
                    _("Attendance rate"),
                    _(
                        "Attended, of those whose attendance is settled (attended or did not "
                        "come): %(attended)s of %(settled)s."
                    )
                    % {
                        "attended": self._shown(totals["attended"]),
                        "settled": self._shown(totals["attended"] + totals["no_show"]),
                    },
                ),
                "display": self._rate(totals),
            },
            self._fact(
                totals["no_show"],
                _("Did not come"),
                _("Accepted, and recorded at no session once the activity was over."),
            ),
            self._fact(
                totals["waiting"],
                _("On the waiting list"),
                _("Still waiting for a seat to be freed (as of the time of the data)."),
            ),
            self._fact(
                totals["certificates"],
                _("Certificates"),
                _("Certificates of attendance issued and not revoked."),
            ),
        ]

    def _fact(self, count, label, definition):
        return {
            "label": label,
            "count": count,
            "hidden": self.hidden(count),
            "share": None,
            "definition": definition,
            "link": None,
        }

    def _shown(self, count):
        return _("hidden") if self.hidden(count) else count

    def _rate(self, row):
        if row["rate"] is None:
            return "–"
        if self.hidden(row["attended"]) or self.hidden(row["no_show"]):
            return _("hidden")
        return f"{formats.number_format(row['rate'], 1)}%"

    def _row(self, label, row, page=None):
        cells = []
        for key, _label, wanted in COUNTS:
            count = row[key]
            link = None
            if page is not None and self.participant_links and count:
                link = self._participant_link(page, wanted)
            cells.append({"key": key, "count": count, "hidden": self.hidden(count), "link": link})
        cells.append(
            {
                "key": "rate",
                "display": self._rate(row),
                "count": row["rate"],
                "hidden": False,
                "link": None,
            }
        )
        certificates = row["certificates"]
        cells.append(
            {
                "key": "certificates",
                "count": certificates,
                "hidden": self.hidden(certificates),
                "link": None,
            }
        )
        return {"label": label, "cells": cells}

    def _participant_link(self, page, wanted):
        params = {"page": page.pk}
        if wanted:
            params["status"] = wanted[0]
        return f"{reverse('training_pages_participant:index')}?{urlencode(params)}"

    def activities(self):
        """A row per activity with sign-ups, latest first, with its kind, date and topics."""
        kept = self.numbers["pages"]
        pages = ActivityPage.objects.filter(pk__in=list(kept)).order_by("-starts_at", "title")
        topics = self._topics(kept)
        rows = []
        for page in pages.select_related("content_type"):
            row = self._row(
                page.title,
                _tally(kept[page.pk], self.numbers["certificates"].get(page.pk, 0)),
                page,
            )
            row.update(
                {
                    "kind": page.content_type.model_class()._meta.verbose_name,
                    "starts_at": page.starts_at,
                    "topics": ", ".join(topics.get(page.pk, [])),
                }
            )
            rows.append(row)
        return rows

    def by_topic(self):
        """A row per topic: the activities tagged with it added up (one activity may count
        under several topics)."""
        kept = self.numbers["pages"]
        totals = {}
        for page_id, names in self._topics(kept).items():
            for name in names:
                statuses, certificates = totals.setdefault(name, ({}, [0]))
                for status, n in kept[page_id].items():
                    statuses[status] = statuses.get(status, 0) + n
                certificates[0] += self.numbers["certificates"].get(page_id, 0)
        return [
            self._row(name, _tally(statuses, certificates[0]))
            for name, (statuses, certificates) in sorted(totals.items())
        ]

    def _topics(self, kept):
        if not hasattr(self, "_topic_names"):
            self._topic_names = {}
            for page_id, name in (
                ActivityTopicTag.objects.filter(content_object_id__in=list(kept))
                .order_by("tag__name")
                .values_list("content_object_id", "tag__name")
            ):
                self._topic_names.setdefault(page_id, []).append(name)
        return self._topic_names


def _evaluation(kecamatan_ids, start, end, today):
    filters = {"period_from": start, "period_to": end}
    kept, _refreshing = analysis.figures_for(kecamatan_ids, filters, today, "trainings")
    everything = {}
    for statuses in kept["numbers"]["pages"].values():
        for status, n in statuses.items():
            everything[status] = everything.get(status, 0) + n
    tally = _tally(everything, sum(kept["numbers"]["certificates"].values()))
    return {**tally, "activities": len(kept["numbers"]["pages"])}


def evaluation_sections():
    """The trainings' part of an evaluation report (`sme_registry.evaluation`)."""
    from sme_registry.evaluation import Line, Section

    return [
        Section(
            "trainings",
            _("Trainings and events"),
            (
                Line("activities", _("Activities with sign-ups")),
                Line("signed_up", _("Sign-ups")),
                Line("attended", _("Attended")),
                Line("no_show", _("Did not come")),
                Line("rate", _("Attendance rate"), "percent"),
                Line("waiting", _("On the waiting list")),
                Line("certificates", _("Certificates")),
            ),
            _evaluation,
            30,
        )
    ]
