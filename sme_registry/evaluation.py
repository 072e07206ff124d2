"""The figures of an evaluation report (laporan evaluasi), live for a draft, frozen when final.

Each section reads the numbers of one Analisis screen for the report's period and area
through `analysis.figures_for`, so a report counts exactly what the screen shows (and
shares its kept numbers). The trainings app adds its section through `SECTIONS_HOOK`.
Stored figures are plain numbers under stable keys; labels are the code's, so a report
finalised in one language reads in the other.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from core.statistics import SUPPRESSION_THRESHOLD
from sme_registry import analysis, growth, programmes
from sme_registry.enums import Status
from sme_registry.models import Kecamatan, MentoringVisit

SECTIONS_HOOK = "register_evaluation_sections"
FINALISE_ACTION = "sme_registry.finalise_report"
FIGURES_FORMAT = 1


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    kind: str = "count"  # count, days, money, number (signed), percent


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lines: tuple
    compute: object  # compute(kecamatan_ids, period_start, period_end, today) -> {key: value}
    order: int = 100


def _numbers(kind, kecamatan_ids, filters, today):
    kept, _refreshing = analysis.figures_for(kecamatan_ids, filters, today, kind)
    return kept["numbers"]


def _period(start, end):
    return {"period_from": start, "period_to": end}


def _registry(kecamatan_ids, start, end, today):
    n = _numbers("registry", kecamatan_ids, _period(start, end), today)
    days, validated_count = n["validation_days"]
    return {
        "registered": n["total"],
        "validated": n["status"].get(Status.VALIDATED, 0),
        "changes_requested": n["status"].get(Status.CHANGES_REQUESTED, 0),
        "rejected": n["status"].get(Status.REJECTED, 0),
        "waiting": sum(step["waiting"] for step in n["backlog"].values()),
        "validation_days": days,
    }


def _outreach(kecamatan_ids, start, end, today):
    n = _numbers("outreach", kecamatan_ids, _period(start, end), today)
    return {
        "sessions": n["sessions"],
        "head_count": n["head_count"],
        "listed": n["listed"],
        "registrations": n["registrations"],
    }


def _mentoring(kecamatan_ids, start, end, today):
    counted = MentoringVisit.objects.filter(
        business__kecamatan__in=kecamatan_ids,
        business__merged_into__isnull=True,
        visited_on__gte=start,
        visited_on__lte=end,
    ).aggregate(visits=Count("pk"), businesses=Count("business", distinct=True))
    return counted


def _growth(kecamatan_ids, start, end, today):
    n = _numbers("growth", kecamatan_ids, _period(start, end), today)
    sales, workers = n["measures"]["sales"], n["measures"]["workers"]
    return {
        "measured": n["measured"],
        "sales_change": sales["change"],
        "sales_rose": 100.0 * sales["rose"] / sales["n"] if sales["n"] else None,
        "workers_change": workers["change"],
    }


def _outcomes(kecamatan_ids, start, end, today):
    values = {}
    offered = programmes.programmes()
    for key in OUTCOME_PROGRAMMES:
        if key not in offered:
            continue
        n = _numbers("outcomes", kecamatan_ids, {**_period(start, end), "programme": key}, today)
        sales = n["measures"]["sales"]
        took, other = sales["took_part"], sales["comparison"]
        values[f"{key}_took_part"] = n["counts"]["took_part"]
        values[f"{key}_took_part_change"] = took["change"]
        values[f"{key}_comparison_change"] = other["change"]
    return values


def _quality(kecamatan_ids, start, end, today):
    """Of the whole registry in the area as it stands, not only the period's records."""
    from sme_registry import quality

    n = _numbers("quality", kecamatan_ids, {}, today)
    return {"total": n["total"], **{check.key: n["checks"][check.key] for check in quality.CHECKS}}


OUTCOME_PROGRAMMES = ("mentoring", "training")


def registry_sections():
    from sme_registry import quality

    outcome_lines = []
    for key, label in (
        ("mentoring", _("Mentoring")),
        ("training", _("Trainings")),
    ):
        outcome_lines += [
            Line(
                f"{key}_took_part",
                _("%(programme)s: took part while measured") % {"programme": label},
            ),
            Line(
                f"{key}_took_part_change",
                _("%(programme)s: median change in sales, took part") % {"programme": label},
                "money",
            ),
            Line(
                f"{key}_comparison_change",
                _("%(programme)s: median change in sales, comparable businesses")
                % {"programme": label},
                "money",
            ),
        ]
    return [
        Section(
            "registry",
            _("Registrations and validation"),
            (
                Line("registered", _("Records submitted in the period")),
                Line("validated", _("Of them validated")),
                Line("changes_requested", _("Of them sent back for a correction")),
                Line("rejected", _("Of them rejected")),
                Line("waiting", _("Of them waiting at a review step")),
                Line("validation_days", _("Median days from submission to validation"), "days"),
            ),
            _registry,
            10,
        ),
        Section(
            "outreach",
            _("Outreach"),
            (
                Line("sessions", _("Outreach sessions held")),
                Line("head_count", _("Attendees")),
                Line("listed", _("Attendees listed by name or business")),
                Line("registrations", _("Registrations through the sessions' links")),
            ),
            _outreach,
            20,
        ),
        Section(
            "mentoring",
            _("Mentoring"),
            (
                Line("visits", _("Mentoring visits, calls and meetings")),
                Line("businesses", _("Businesses mentored")),
            ),
            _mentoring,
            40,
        ),
        Section(
            "growth",
            _("Growth"),
            (
                Line("measured", _("Businesses whose growth is measured")),
                Line("sales_change", _("Median change in annual sales"), "money"),
                Line("sales_rose", _("Share whose sales rose"), "percent"),
                Line("workers_change", _("Median change in workers"), "number"),
            ),
            _growth,
            50,
        ),
        Section(
            "outcomes", _("Programme outcomes (descriptive)"), tuple(outcome_lines), _outcomes, 60
        ),
        Section(
            "quality",
            _("Data quality of the registry today"),
            (
                Line("total", _("Records checked")),
                *(Line(check.key, check.label) for check in quality.CHECKS),
            ),
            _quality,
            70,
        ),
    ]


def sections():
    """Every section, the registry's and the other apps', in order."""
    found = list(registry_sections())
    for offered in hooks.get_hooks(SECTIONS_HOOK):
        found += offered()
    return sorted(found, key=lambda section: section.order)


def kecamatan_ids(report):
    if report.kecamatan_id:
        return [report.kecamatan_id]
    return list(Kecamatan.objects.order_by("pk").values_list("pk", flat=True))


def compute(report, today=None):
    """The figures for the report's period and area now: {section: {line: value}}."""
    today = today or timezone.localdate()
    ids = kecamatan_ids(report)
    start, end = report.period_start, report.period_end
    return {section.key: section.compute(ids, start, end, today) for section in sections()}


@transaction.atomic
def finalise(report, *, user):
    """Store the figures as they are now and close the report to changes."""
    from wagtail.log_actions import log

    from sme_registry.models import EvaluationReport

    report = EvaluationReport.objects.select_for_update().get(pk=report.pk)
    if report.is_final:
        return report
    now = timezone.now()
    report.figures = {"format": FIGURES_FORMAT, "sections": compute(report)}
    report.figures_as_of = now
    report.finalised_at = now
    report.finalised_by = user
    report.save(update_fields=["figures", "figures_as_of", "finalised_at", "finalised_by"])
    log(report, FINALISE_ACTION, user=user)
    return report


def display(value, kind, hidden=False):
    """A stored value as the report prints it."""
    if hidden:
        return _("hidden")
    if value is None:
        return "–"
    if kind == "days":
        return _("%(days)s days") % {"days": formats.number_format(value, 1)}
    if kind == "money":
        return growth._amount(value, True, signed=True)
    if kind == "number":
        return growth._amount(value, False, signed=True)
    if kind == "percent":
        return f"{formats.number_format(value, 1)}%"
    return formats.number_format(value, 0, force_grouping=True)


def rendered(report, suppressed, today=None):
    """[(title, [(label, shown)])] from the stored figures of a final report, else live."""
    stored = report.figures["sections"] if report.is_final else compute(report, today)
    result = []
    for section in sections():
        values = stored.get(section.key)
        if values is None:
            continue  # a section added after the report was finalised
        rows = []
        for line in section.lines:
            if line.key not in values:
                continue
            value = values[line.key]
            hidden = (
                suppressed
                and line.kind == "count"
                and value is not None
                and 0 < value < SUPPRESSION_THRESHOLD
            )
            rows.append(
                {"key": line.key, "label": line.label, "shown": display(value, line.kind, hidden)}
            )
        result.append({"key": section.key, "title": section.title, "rows": rows})
    return result


def comparison(reports, suppressed, today=None):
    """Reports side by side: [{key, title, rows: [{key, label, cells}]}], a cell per report.

    A final report gives its stored figures and a draft its live ones, so a period closed
    last year reads as it was then beside this month's. A line a report lacks (a section
    added after it was finalised) reads "–" in that report's column.
    """
    columns = [
        {
            s["key"]: {row["key"]: row["shown"] for row in s["rows"]}
            for s in rendered(r, suppressed, today)
        }
        for r in reports
    ]
    result = []
    for section in sections():
        shown = [column.get(section.key) for column in columns]
        if all(values is None for values in shown):
            continue
        rows = []
        for line in section.lines:
            cells = [(values or {}).get(line.key) for values in shown]
            if all(cell is None for cell in cells):
                continue
            cells = ["–" if cell is None else cell for cell in cells]
            rows.append({"key": line.key, "label": line.label, "cells": cells})
        result.append({"key": section.key, "title": section.title, "rows": rows})
    return result
