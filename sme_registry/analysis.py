"""Analisis → Registri: the registry's figures, for a period, an area, a sector and a scale.

One function per figure family, all from one filtered queryset (`population`), so every
figure on the screen counts the same records: those not merged into another record, in
the kecamatan the user's figures cover (`permissions.analysis_kecamatan`), submitted in
the period, in the chosen area, sector, scale and status.

Counts are read with GROUP BY on indexed columns (never JSON) and kept in the cache per
filter and scope until a registry record, owner, document or review step is written
(`VERSION_KEY`), or `CACHE_SECONDS` at the latest (bulk writes send no signal).

Who sees what: a user who may open the records behind a figure gets each count as a link
to the filtered registry list; one who may not (Analis) gets aggregates only, with cells
of 1 to 4 suppressed (`core.statistics`), since a handful of businesses of one owner's age
in one desa could name them.
"""

import datetime
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django_tasks import task

from django import forms
from django.core.cache import cache
from django.db import transaction
from django.db.models import BigIntegerField, Count, DurationField, Exists, F, Min, OuterRef, Q
from django.db.models.expressions import ExpressionWrapper
from django.db.models.functions import Cast, TruncMonth
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.statistics import SUPPRESSION_THRESHOLD, Cell, suppress_small_cells
from sme_registry import permissions, selectors
from sme_registry.enums import CLOSED, Status
from sme_registry.kbli import KBLI_CATEGORIES
from sme_registry.models import (
    Business,
    CoverageTarget,
    Desa,
    Kecamatan,
    LegalDocument,
    RegistryReviewTask,
    Source,
)
from sme_registry.models.choices import LegalForm, Sex
from sme_registry.scale import Scale

VERSION_KEY = "analysis:version"
CACHE_SECONDS = 600
# Counting that took longer than this is done again in the background, not in a request.
INLINE_SECONDS = 1.0
KEEP_SECONDS = 7 * 24 * 3600
REFRESH_LOCK_SECONDS = 300
# Part of the cache key: raised when `compute` returns other numbers, so figures kept by
# the previous release (for up to KEEP_SECONDS) are never read by code that expects more.
NUMBERS_FORMAT = 2
MONTHS_SHOWN = 12
# A record waiting at one review step longer than this is counted as late in the backlog.
LATE_AFTER_DAYS = 14
# Owner's age in whole years: (label, lowest age, highest age); None is open.
AGE_BANDS = (
    ("<25", None, 24),
    ("25-34", 25, 34),
    ("35-44", 35, 44),
    ("45-54", 45, 54),
    ("55-64", 55, 64),
    ("65+", 65, None),
)
_WATCHED = {"wagtailcore.taskstate", "wagtailcore.workflowstate"}
_QUIET = {
    "sme_registry.registrationdraft",
    "sme_registry.outboxemail",
    "sme_registry.importrow",
    "sme_registry.importbatch",
}


def register_kind(kind, numbers_path):
    """Another app's screen whose numbers are kept here: `numbers_path` names its
    numbers(kecamatan_ids, plain, today), for the request and the worker alike."""
    KINDS[kind] = numbers_path


def watch(*labels):
    """Count writes of other apps' models (as "app.model") as changes of the figures: the
    trainings app's attendance changes the Outcomes screen."""
    _WATCHED.update(label.lower() for label in labels)


def version():
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def on_write(sender, **kwargs):
    """A write the figures count: the kept figures are out of date."""
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    label = sender._meta.label_lower
    if label in _QUIET or (sender._meta.app_label != "sme_registry" and label not in _WATCHED):
        return
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


class FilterForm(forms.Form):
    """The filters, read from the address (GET), so a view of the figures can be shared."""

    period_from = forms.DateField(
        label=gettext_lazy("Submitted from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    period_to = forms.DateField(
        label=gettext_lazy("Submitted until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    kecamatan = forms.ModelChoiceField(
        label=gettext_lazy("Kecamatan"), queryset=Kecamatan.objects.none(), required=False
    )
    desa = forms.ModelChoiceField(
        label=gettext_lazy("Desa/kelurahan"), queryset=Desa.objects.none(), required=False
    )
    sector = forms.ChoiceField(label=gettext_lazy("Sector"), required=False)
    scale = forms.ChoiceField(label=gettext_lazy("Scale (computed)"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, data, user):
        super().__init__(data)
        kecamatan = permissions.analysis_kecamatan(user).order_by("name")
        self.fields["kecamatan"].queryset = kecamatan
        self.fields["kecamatan"].empty_label = _("All kecamatan in your area")
        chosen = data.get("kecamatan") if data else None
        desa = Desa.objects.filter(kecamatan__in=kecamatan).order_by("name")
        self.fields["desa"].queryset = desa
        if chosen and str(chosen).isdigit():
            shown = desa.filter(kecamatan_id=int(chosen))
        elif kecamatan.count() == 1:
            shown = desa
        else:
            shown = None
        widget_choices = [("", _("All desa"))]
        if shown is not None:
            widget_choices += [(d.pk, d.name) for d in shown]
        else:
            widget_choices = [("", _("Choose a kecamatan first"))]
        self.fields["desa"].widget.choices = widget_choices
        everything = [("", _("All"))]
        self.fields["sector"].choices = everything + [
            (code, f"{code} - {label}") for code, label in KBLI_CATEGORIES
        ]
        self.fields["scale"].choices = everything + list(Scale.choices)
        self.fields["status"].choices = everything + list(Status.choices)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and start > end:
            self.add_error("period_to", _("The end of the period comes before its start."))
        desa, kecamatan = data.get("desa"), data.get("kecamatan")
        if desa and kecamatan and desa.kecamatan_id != kecamatan.pk:
            self.add_error("desa", _("This desa is not in the chosen kecamatan."))
        return data

    def filters(self):
        """The valid filters only: a wrong field is reported beside it and left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and value not in (None, "")
        }


def population(kecamatan, filters):
    """The records every figure counts: in `kecamatan` (ids or a queryset, the user's
    `permissions.analysis_kecamatan`), narrowed by the valid `filters` (instances or
    their keys, dates or ISO dates: the background refresh passes plain values)."""
    queryset = Business.objects.filter(merged_into__isnull=True, kecamatan__in=kecamatan)
    filters = dict(filters)
    for name in ("period_from", "period_to"):
        if isinstance(filters.get(name), str):
            filters[name] = datetime.date.fromisoformat(filters[name])
    if "period_from" in filters:
        queryset = queryset.filter(submitted_at__gte=selectors.day_start(filters["period_from"]))
    if "period_to" in filters:
        end = filters["period_to"] + datetime.timedelta(days=1)
        queryset = queryset.filter(submitted_at__lt=selectors.day_start(end))
    for name, lookup in (
        ("kecamatan", "kecamatan"),
        ("desa", "desa"),
        ("sector", "kbli_category"),
        ("scale", "computed_scale"),
        ("status", "status"),
    ):
        if name in filters:
            queryset = queryset.filter(**{lookup: filters[name]})
    return queryset


def _counts(queryset, field):
    return dict(queryset.values_list(field).annotate(n=Count("pk")).order_by())


def _age_bands(today):
    """(band, condition on the owner's birth date) for each of `AGE_BANDS`, on `today`."""

    def years_ago(years):
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    bands = []
    for label, low, high in AGE_BANDS:
        condition = Q()
        if high is not None:  # at most `high` years old: born after the day they turn high+1
            condition &= Q(owner__birth_date__gt=years_ago(high + 1))
        if low is not None:
            condition &= Q(owner__birth_date__lte=years_ago(low))
        bands.append((label, condition))
    return bands


def _in_one_scan(queryset, groups):
    """{group: {key: count}} for `groups` = {group: [(key, condition), ...]}, all counted
    in one pass over the rows (one conditional count per cell) instead of one per group."""
    aggregates, cells = {}, {}
    for group, conditions in groups.items():
        for number, (key, condition) in enumerate(conditions):
            name = f"{group}_{number}"
            aggregates[name] = Count("pk", filter=condition)
            cells[name] = (group, key)
    counted = queryset.aggregate(**aggregates)
    result = {group: {} for group in groups}
    for name, (group, key) in cells.items():
        result[group][key] = counted[name]
    return result


def _each(field, values):
    return [(value, Q(**{field: value})) for value in values]


def compute(queryset, today):
    """Every count of the screen for `queryset`, as plain numbers (kept in the cache).

    Five reads whatever the size: the record's own columns in one pass, the owner's in
    another (with the join), kecamatan and desa from their indexes, the months from the
    submission index, and the documents.
    """
    now = timezone.now()
    own = _in_one_scan(
        queryset,
        {
            "total": [("all", Q())],
            "status": _each("status", Status.values),
            "sector": _each("kbli_category", [code for code, _label in KBLI_CATEGORIES]),
            "computed_scale": _each("computed_scale", Scale.values),
            "reported_scale": _each("reported_scale", Scale.values),
            "legal_form": _each("legal_form", LegalForm.values),
            "source": _each("source", Source.values),
            "fresh": [
                (6, Q(updated_at__gte=now - datetime.timedelta(days=183))),
                (12, Q(updated_at__gte=now - datetime.timedelta(days=365))),
            ],
        },
    )
    owner = _in_one_scan(
        queryset,
        {
            "sex": _each("owner__sex", Sex.values),
            "disability": _each("owner__has_disability", [True, False]),
            "age": _age_bands(today),
        },
    )
    twelve_months = today.replace(day=1)
    for _month in range(MONTHS_SHOWN - 1):
        twelve_months = (twelve_months - datetime.timedelta(days=1)).replace(day=1)
    monthly = {
        (month.date() if hasattr(month, "date") else month).isoformat()[:7]: n
        for month, n in queryset.filter(submitted_at__gte=selectors.day_start(twelve_months))
        .annotate(month=TruncMonth("submitted_at"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    documents = LegalDocument.objects.filter(
        business__in=queryset.values("pk"),
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=selectors.EXPIRY_WARNING_DAYS),
    ).aggregate(documents=Count("pk"), businesses=Count("business_id", distinct=True))
    return {
        **{group: counts for group, counts in own.items() if group not in ("total", "fresh")},
        **owner,
        "total": own["total"]["all"],
        "kecamatan": _counts(queryset, "kecamatan_id"),
        "desa": _counts(queryset, "desa_id"),
        "month": monthly,
        "fresh_6": own["fresh"][6],
        "fresh_12": own["fresh"][12],
        "documents_expiring": documents["documents"],
        "businesses_expiring": documents["businesses"],
        "backlog": _backlog(queryset, now),
        "validation_days": _median_days_to_validation(queryset),
    }


def _backlog(queryset, now):
    """{step id: {"waiting", "late", "oldest"}}: versions of these records waiting at each
    review step. Each waiting step looks its record up by primary key, so the cost follows
    the queue, not the registry."""
    in_population = queryset.filter(
        pk=Cast(OuterRef("workflow_state__object_id"), output_field=BigIntegerField())
    )
    late = now - datetime.timedelta(days=LATE_AFTER_DAYS)
    rows = (
        selectors.waiting_task_states()
        .filter(Exists(in_population))
        .values("task_id")
        .annotate(
            waiting=Count("pk"),
            late=Count("pk", filter=Q(started_at__lt=late)),
            oldest=Min("started_at"),
        )
        .order_by()
    )
    return {
        row["task_id"]: {"waiting": row["waiting"], "late": row["late"], "oldest": row["oldest"]}
        for row in rows
    }


def _median_days_to_validation(queryset):
    """(median days from submission to the first validation, records it is taken over).

    Imported records are left out: they came in validated (or were checked on paper), so
    their "submission" is the import. The median is read as the middle row(s) in the
    order of the duration, which SQLite and PostgreSQL both sort.
    """
    validated = queryset.exclude(source=Source.IMPORT).filter(first_published_at__isnull=False)
    count = validated.count()
    if not count:
        return None, 0
    durations = list(
        validated.annotate(
            took=ExpressionWrapper(
                F("first_published_at") - F("submitted_at"), output_field=DurationField()
            )
        )
        .order_by("took")
        .values_list("took", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    seconds = sum(d.total_seconds() for d in durations) / len(durations)
    return round(seconds / 86400, 1), count


def coverage_counts(kecamatan_ids):
    """{kecamatan id: {"registered", "validated"}} over every submission date, sector and
    scale: a kecamatan's coverage is read against its estimate of all its UMKM. Registered:
    records neither merged, rejected nor archived; read from the (kecamatan, status) index."""
    counts = {pk: {"registered": 0, "validated": 0} for pk in kecamatan_ids}
    rows = (
        Business.objects.filter(merged_into__isnull=True, kecamatan__in=kecamatan_ids)
        .exclude(status__in=CLOSED)
        .values_list("kecamatan_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for kecamatan_id, status, n in rows:
        counts[kecamatan_id]["registered"] += n
        if status == Status.VALIDATED:
            counts[kecamatan_id]["validated"] += n
    return counts


@dataclass
class Row:
    key: str
    label: str
    count: int | None
    suppressed: bool = False
    link: str | None = None
    bar: float = 0.0  # width of its bar, percent of the largest row
    share: float | None = None  # percent of the figure's denominator


@dataclass
class Figure:
    slug: str
    title: str
    definition: str
    denominator: int
    filled: int  # records with the field filled (coverage)
    rows: list = field(default_factory=list)
    suppressed_any: bool = False

    @property
    def coverage(self):
        return 100.0 * self.filled / self.denominator if self.denominator else None


# The screens whose numbers are kept, and the function that counts each, named (not
# imported) so the worker's task can be told which to run and no screen imports another.
KINDS = {
    "registry": "sme_registry.analysis.registry_numbers",
    "growth": "sme_registry.growth.numbers",
    "quality": "sme_registry.quality.numbers",
    "outcomes": "sme_registry.outcomes.numbers",
    "outreach": "sme_registry.outreach_figures.numbers",
    "map": "sme_registry.maps.numbers",
}


def registry_numbers(kecamatan_ids, plain, today):
    """The Registry screen's numbers for a scope and its filters."""
    numbers = compute(population(kecamatan_ids, plain), today)
    covered = [int(plain["kecamatan"])] if "kecamatan" in plain else kecamatan_ids
    numbers["coverage"] = coverage_counts([pk for pk in kecamatan_ids if pk in covered])
    return numbers


def _key(kind, kecamatan_ids, plain, today):
    scope = ",".join(str(pk) for pk in sorted(kecamatan_ids))
    filters = urlencode(sorted(plain.items()))
    return f"analysis:{kind}:{NUMBERS_FORMAT}:{today.isoformat()}:{scope}:{filters}"


def figures_for(kecamatan_ids, filters, today, kind="registry"):
    """The numbers for a scope and filters, and whether newer ones are being computed.

    Kept numbers are used while no write has come since (and for `CACHE_SECONDS` at most,
    for bulk writes that send no signal). Out of date, they are computed again at once
    when that took under `INLINE_SECONDS` last time; otherwise (a million records) the
    kept ones are shown with their time and a background task computes the new ones, so
    no viewer waits seconds for the figures after every registration.
    """
    plain = {name: _plain(value) for name, value in filters.items()}
    key = _key(kind, kecamatan_ids, plain, today)
    current = version()
    kept = cache.get(key)
    if kept is not None:
        age = (timezone.now() - kept["computed_at"]).total_seconds()
        if kept["version"] == current and age < CACHE_SECONDS:
            return kept, False
        if kept["seconds"] > INLINE_SECONDS:
            if cache.add(f"{key}:refreshing", 1, REFRESH_LOCK_SECONDS):
                ids = list(kecamatan_ids)
                transaction.on_commit(
                    lambda: refresh_figures.enqueue(ids, plain, today.isoformat(), kind)
                )
            return kept, True
    return _compute_and_keep(kind, key, kecamatan_ids, plain, today, current), False


def _compute_and_keep(kind, key, kecamatan_ids, plain, today, current):
    started = time.monotonic()
    numbers = import_string(KINDS[kind])(kecamatan_ids, plain, today)
    kept = {
        "numbers": numbers,
        "computed_at": timezone.now(),
        "version": current,  # read before counting: a write meanwhile leaves it stale
        "seconds": time.monotonic() - started,
    }
    cache.set(key, kept, KEEP_SECONDS)
    cache.delete(f"{key}:refreshing")
    return kept


@task()
def refresh_figures(kecamatan_ids, plain, today, kind="registry"):
    """Count the figures of one screen, scope and filters again, in the worker."""
    day = datetime.date.fromisoformat(today)
    key = _key(kind, kecamatan_ids, plain, day)
    _compute_and_keep(kind, key, kecamatan_ids, plain, day, version())


class Screen:
    """The figures of one request: numbers from the cache, labels and links per user."""

    kind = "registry"

    def __init__(self, user, filters, today=None):
        self.filters = filters
        self.today = today or timezone.localdate()
        self.kecamatan = list(permissions.analysis_kecamatan(user).order_by("name"))
        self.linked = permissions.business_policy.user_has_permission(user, "view")
        self.suppressed = not self.linked
        self.numbers, self.computed_at = self._numbers()

    def hidden(self, count):
        """Whether a lone count is kept from this viewer (an analyst, 1 to 4)."""
        return self.suppressed and 0 < count < SUPPRESSION_THRESHOLD

    @property
    def total_hidden(self):
        return self.hidden(self.numbers["total"])

    def _numbers(self):
        kept, self.refreshing = figures_for(
            [k.pk for k in self.kecamatan], self.filters, self.today, self.kind
        )
        return kept["numbers"], kept["computed_at"]

    # Drill-down: the registry list with the same filters and the cell's own.
    LIST_FILTERS = {
        "kecamatan": "kecamatan",
        "desa": "desa",
        "sector": "kbli_category",
        "scale": "computed_scale",
        "status": "status",
        "period_from": "submitted_at_after",
        "period_to": "submitted_at_before",
    }

    def _list_link(self, **more):
        if not self.linked:
            return None
        params = {"merged": "false"}  # as the figures: a merged record is counted once
        for name, list_name in self.LIST_FILTERS.items():
            if name in self.filters:
                params[list_name] = _plain(self.filters[name])
        params.update({k: v for k, v in more.items() if v is not None})
        url = reverse("wagtailsnippets_sme_registry_business:list")
        return f"{url}?{urlencode(params)}"

    def _figure(self, slug, title, definition, pairs, *, link=None, filled=None):
        """pairs: (key, label, count); link(key) gives the list filter of a cell."""
        total = self.numbers["total"]
        counted = sum(count for _k, _l, count in pairs)
        rows = []
        cells = (
            suppress_small_cells(pairs)
            if self.suppressed
            else [Cell(k, lbl, n) for k, lbl, n in pairs]
        )
        largest = max([c.count or 0 for c in cells] + [1])
        for cell in cells:
            rows.append(
                Row(
                    key=str(cell.key),
                    label=str(cell.label),
                    count=cell.count,
                    suppressed=cell.suppressed,
                    link=(link(cell.key) if link and cell.count and not cell.suppressed else None),
                    bar=round(100.0 * (cell.count or 0) / largest, 1),
                    share=(
                        100.0 * cell.count / total if total and cell.count is not None else None
                    ),
                )
            )
        return Figure(
            slug=slug,
            title=title,
            definition=definition,
            denominator=total,
            filled=counted if filled is None else filled,
            rows=rows,
            suppressed_any=any(row.suppressed for row in rows),
        )

    def figures(self):
        n = self.numbers
        result = [
            self._figure(
                "status",
                _("Status"),
                _("Records in the registry (not merged into another) per status."),
                [(v, lbl, n["status"].get(v, 0)) for v, lbl in Status.choices],
                link=lambda key: self._list_link(status=key),
            ),
            self._figure(
                "kecamatan",
                _("Kecamatan"),
                _(
                    "Records in the registry (not merged into another) per kecamatan of the business."
                ),
                [(k.pk, k.name, n["kecamatan"].get(k.pk, 0)) for k in self._kecamatan_shown()],
                link=lambda key: self._list_link(kecamatan=key),
            ),
        ]
        desa = self._desa_shown()
        if desa:
            result.append(
                self._figure(
                    "desa",
                    _("Desa/kelurahan"),
                    _(
                        "Records in the registry (not merged into another) per desa of the business."
                    ),
                    [(d.pk, d.name, n["desa"].get(d.pk, 0)) for d in desa],
                    link=lambda key: self._list_link(desa=key),
                )
            )
        result += [
            self._figure(
                "sector",
                _("Sector (KBLI 2020)"),
                _("Records in the registry (not merged into another) per KBLI 2020 category."),
                [(c, f"{c} - {lbl}", n["sector"].get(c, 0)) for c, lbl in KBLI_CATEGORIES],
                link=lambda key: self._list_link(kbli_category=key),
            ),
            self._figure(
                "computed_scale",
                _("Scale, computed from the figures"),
                _(
                    "Records per scale computed from the reported capital and sales "
                    "(PP 7/2021). Filled in: records whose figures give a scale."
                ),
                [(v, lbl, n["computed_scale"].get(v, 0)) for v, lbl in Scale.choices],
                link=lambda key: self._list_link(computed_scale=key),
            ),
            self._figure(
                "reported_scale",
                _("Scale, as reported by the owner"),
                _("Records per scale the owner chose on the form; not every form asks."),
                [(v, lbl, n["reported_scale"].get(v, 0)) for v, lbl in Scale.choices],
            ),
            self._figure(
                "sex",
                _("Owner's sex"),
                _("Records in the registry (not merged into another) per owner's sex."),
                [(v, lbl, n["sex"].get(v, 0)) for v, lbl in Sex.choices],
            ),
            self._figure(
                "age",
                _("Owner's age"),
                _("Records per owner's age in whole years on %(day)s.")
                % {"day": self.today.strftime("%d-%m-%Y")},
                [(band, _age_label(band), n["age"].get(band, 0)) for band, _l, _h in AGE_BANDS],
            ),
            self._figure(
                "disability",
                _("Owner with a disability"),
                _("Records per whether the owner reported a disability."),
                [
                    ("yes", _("Yes"), n["disability"].get(True, 0)),
                    ("no", _("No"), n["disability"].get(False, 0)),
                ],
            ),
            self._figure(
                "legal_form",
                _("Legal form"),
                _("Records in the registry (not merged into another) per legal form."),
                [(v, lbl, n["legal_form"].get(v, 0)) for v, lbl in LegalForm.choices],
            ),
            self._figure(
                "source",
                _("Source"),
                _("Records per way they came in: public form, staff entry, import or API."),
                [(v, lbl, n["source"].get(v, 0)) for v, lbl in Source.choices],
                link=lambda key: self._list_link(source=key),
            ),
            self._months_figure(),
        ]
        return result

    def _months_figure(self):
        months = []
        day = self.today.replace(day=1)
        for _month in range(MONTHS_SHOWN):
            months.append(day)
            day = (day - datetime.timedelta(days=1)).replace(day=1)
        months.reverse()
        pairs = [
            (
                m.isoformat()[:7],
                m.strftime("%m-%Y"),
                self.numbers["month"].get(m.isoformat()[:7], 0),
            )
            for m in months
        ]

        def link(key):
            start = datetime.date.fromisoformat(f"{key}-01")
            end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
            return self._list_link(
                submitted_at_after=start.isoformat(), submitted_at_before=end.isoformat()
            )

        figure = self._figure(
            "month",
            _("Registrations per month"),
            _(
                "Records submitted in each of the last %(months)s months, within the "
                "filters (the period filter narrows them further)."
            )
            % {"months": MONTHS_SHOWN},
            pairs,
            link=link,
        )
        figure.filled = figure.denominator
        return figure

    def _kecamatan_shown(self):
        if "kecamatan" in self.filters:
            return [self.filters["kecamatan"]]
        return self.kecamatan

    def _desa_shown(self):
        if "desa" in self.filters:
            return [self.filters["desa"]]
        if "kecamatan" in self.filters:
            kecamatan = self.filters["kecamatan"]
        elif len(self.kecamatan) == 1:
            kecamatan = self.kecamatan[0]
        else:
            return []
        return list(Desa.objects.filter(kecamatan=kecamatan).order_by("name"))

    def backlog(self):
        """Per review step: versions waiting, late ones, since when the oldest waits."""
        kept = self.numbers["backlog"]
        steps = selectors.review_steps()
        known = {step.pk for step in steps}
        steps += list(RegistryReviewTask.objects.filter(pk__in=set(kept) - known))
        rows = []
        for step in steps:
            numbers = kept.get(step.pk, {"waiting": 0, "late": 0, "oldest": None})
            hidden = self.hidden(numbers["waiting"])
            rows.append(
                {
                    "label": step.name,
                    "waiting": numbers["waiting"],
                    "late": None if hidden else numbers["late"],
                    "oldest": None if hidden else numbers["oldest"],
                    "hidden": hidden,
                    "link": (self._list_link(review_step=step.pk) if numbers["waiting"] else None),
                }
            )
        sent_back = self.numbers["status"].get(Status.CHANGES_REQUESTED, 0)
        rows.append(
            {
                "label": _("Sent back: waiting for the applicant's correction"),
                "waiting": sent_back,
                "late": None,
                "oldest": None,
                "hidden": self.hidden(sent_back),
                "link": self._list_link(status=Status.CHANGES_REQUESTED) if sent_back else None,
            }
        )
        return rows

    def coverage(self):
        """Per kecamatan: the office's estimate, and registered and validated records against it."""
        counts = self.numbers["coverage"]
        targets = {
            target.kecamatan_id: target
            for target in CoverageTarget.objects.filter(kecamatan_id__in=list(counts))
        }
        rows = []
        for kecamatan in self._kecamatan_shown():
            numbers = counts.get(kecamatan.pk, {"registered": 0, "validated": 0})
            target = targets.get(kecamatan.pk)
            estimate = target.estimated_businesses if target else None
            row = {
                "label": kecamatan.name,
                "estimate": estimate,
                "source": target and target.source,
            }
            for name in ("registered", "validated"):
                count = numbers[name]
                hidden = self.hidden(count)
                row[name] = None if hidden else count
                row[f"{name}_hidden"] = hidden
                row[f"{name}_share"] = (
                    round(100.0 * count / estimate, 1) if estimate and not hidden else None
                )
            row["bar"] = min(row["validated_share"] or 0, 100)
            row["link"] = (
                self._coverage_link(kecamatan.pk) if numbers["validated"] and self.linked else None
            )
            rows.append(row)
        return rows

    def _coverage_link(self, kecamatan_id):
        """The validated records of a kecamatan, whatever the screen's other filters (as counted)."""
        url = reverse("wagtailsnippets_sme_registry_business:list")
        params = {"merged": "false", "kecamatan": kecamatan_id, "status": Status.VALIDATED}
        return f"{url}?{urlencode(params)}"

    def validation_time(self):
        """The median days from submission to validation, as a fact of the screen."""
        days, count = self.numbers["validation_days"]
        hidden = self.hidden(count)
        if days is None or hidden:
            shown = _("hidden") if hidden else "–"
        else:
            shown = _("%(days)s days") % {"days": formats.number_format(days, 1)}
        return {
            "label": _("Median time from submission to validation"),
            "display": shown,
            "count": count,
            "hidden": hidden,
            "share": None,
            "definition": _(
                "The middle of the times between a record's submission and its first "
                "validation, over the %(count)s records within the filters that have been "
                "validated (imported records left out: they came in already checked). "
                "Records still waiting are not in it: see the backlog."
            )
            % {"count": _("hidden") if hidden else formats.number_format(count, use_l10n=True)},
            "link": None,
        }

    def facts(self):
        """The one-number figures: freshness, documents about to run out, time to validation."""
        n = self.numbers
        total = n["total"]

        def share(count):
            return round(100.0 * count / total, 1) if total else None

        since_6 = self.today - datetime.timedelta(days=183)
        since_12 = self.today - datetime.timedelta(days=365)
        return [
            {
                "label": _("Updated in the last 6 months"),
                "count": n["fresh_6"],
                "hidden": self.hidden(n["fresh_6"]),
                "share": None if self.hidden(n["fresh_6"]) else share(n["fresh_6"]),
                "definition": _("Records changed (by the owner or staff) since %(day)s.")
                % {"day": since_6.strftime("%d-%m-%Y")},
                "link": self._list_link(updated_at_after=since_6.isoformat()),
            },
            {
                "label": _("Updated in the last 12 months"),
                "count": n["fresh_12"],
                "hidden": self.hidden(n["fresh_12"]),
                "share": None if self.hidden(n["fresh_12"]) else share(n["fresh_12"]),
                "definition": _("Records changed (by the owner or staff) since %(day)s.")
                % {"day": since_12.strftime("%d-%m-%Y")},
                "link": self._list_link(updated_at_after=since_12.isoformat()),
            },
            {
                "label": _("Legal documents expiring within %(days)s days")
                % {"days": selectors.EXPIRY_WARNING_DAYS},
                "count": n["documents_expiring"],
                "hidden": self.hidden(n["documents_expiring"]),
                "share": None,
                "definition": _(
                    "Documents (NIB, P-IRT, halal, ...) of these records whose validity ends "
                    "between today and %(day)s; they belong to %(businesses)s businesses."
                )
                % {
                    "day": (
                        self.today + datetime.timedelta(days=selectors.EXPIRY_WARNING_DAYS)
                    ).strftime("%d-%m-%Y"),
                    "businesses": (
                        _("hidden")
                        if self.hidden(n["businesses_expiring"])
                        else n["businesses_expiring"]
                    ),
                },
                "link": None,
            },
            self.validation_time(),
        ]


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _age_label(band):
    if band.startswith("<"):
        return _("under %(age)s") % {"age": band[1:]}
    if band.endswith("+"):
        return _("%(age)s and over") % {"age": band[:-1]}
    low, high = band.split("-")
    return _("%(low)s to %(high)s") % {"low": low, "high": high}
