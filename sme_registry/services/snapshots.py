"""Indicator snapshots: the figures of a business at a moment, so its growth can be charted."""

from django.utils import timezone

from sme_registry.models import IndicatorSnapshot
from sme_registry.scale import compute_scale

SNAPSHOT_FIELDS = (
    "annual_sales",
    "assets",
    "capital",
    "workers_male",
    "workers_female",
    "workers_disabled",
)


def take_snapshot(
    business,
    origin=IndicatorSnapshot.Origin.VALIDATION,
    revision=None,
    *,
    values=None,
    taken_at=None,
):
    """Record the indicators of the version that has just become live.

    `values` overrides some indicators (figures a mentor heard on a visit); the
    others are the business's current ones. The business itself is not changed.
    """
    figures = {name: getattr(business, name) for name in SNAPSHOT_FIELDS}
    if values is None:
        business.refresh_scale()
        scale = business.computed_scale
    else:
        figures.update({k: v for k, v in values.items() if k in SNAPSHOT_FIELDS})
        scale = compute_scale(
            capital=figures["capital"],
            annual_sales=figures["annual_sales"],
            year_started=business.year_started,
        )
    return IndicatorSnapshot.objects.create(
        business=business,
        taken_at=taken_at or timezone.now(),
        origin=origin,
        revision=revision,
        scale=scale or "",
        legal_documents=sorted({doc.kind for doc in business.legal_documents.all()}),
        **{k: (0 if v is None and k.startswith("workers") else v) for k, v in figures.items()},
    )
