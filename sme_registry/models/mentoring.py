from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from core.rules import Rule, RulesMixin
from sme_registry.models.businesses import COUNT_VALIDATORS, MONEY_VALIDATORS

# The indicators a mentor may bring back from a visit; the same names as on the business.
INDICATOR_FIELDS = (
    "annual_sales",
    "capital",
    "assets",
    "workers_male",
    "workers_female",
    "workers_disabled",
)


def _money(verbose_name):
    return models.DecimalField(
        verbose_name,
        max_digits=15,
        decimal_places=0,
        null=True,
        blank=True,
        validators=MONEY_VALIDATORS,
    )


def _count(verbose_name):
    return models.PositiveIntegerField(
        verbose_name, null=True, blank=True, validators=COUNT_VALIDATORS
    )


def _disabled_within_workers(visit):
    if visit.workers_disabled is None:
        return
    total = (visit.workers_male or 0) + (visit.workers_female or 0)
    if visit.workers_disabled > total:
        raise ValidationError(
            _("Cannot be more than the male and female workers together."),
            code="disabled_workers",
        )


def _next_visit_after(visit):
    if visit.next_visit_on and visit.visited_on and visit.next_visit_on < visit.visited_on:
        raise ValidationError(
            _("The next visit cannot be before this one."), code="next_visit_before"
        )


class MentoringVisit(RulesMixin, ClusterableModel):
    """One contact of a mentor with a business they accompany (pendampingan)."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("visit")
        CALL = "call", _("phone call")
        ONLINE = "online", _("online meeting")

    business = models.ForeignKey(
        "sme_registry.Business",
        verbose_name=_("business"),
        on_delete=models.CASCADE,
        related_name="mentoring_visits",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        null=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="mentoring_visits",
    )
    visited_on = models.DateField(_("date"), db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.VISIT)
    topics = models.CharField(
        _("topics"),
        max_length=300,
        help_text=_("For example: bookkeeping, packaging, halal certificate, marketplace."),
    )
    notes = models.TextField(_("notes"), blank=True)
    next_visit_on = models.DateField(_("next visit"), null=True, blank=True, db_index=True)

    # Figures heard during the visit: recorded as a snapshot, never written to the business.
    annual_sales = _money(_("annual sales (Rp)"))
    capital = _money(_("business capital (Rp)"))
    assets = _money(_("assets (Rp)"))
    workers_male = _count(_("male workers"))
    workers_female = _count(_("female workers"))
    workers_disabled = _count(_("workers with a disability"))

    snapshot = models.OneToOneField(
        "sme_registry.IndicatorSnapshot",
        verbose_name=_("indicator snapshot"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="mentoring_visit",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    rules = (
        Rule(
            ("workers_male", "workers_female", "workers_disabled"),
            _disabled_within_workers,
            "workers_disabled",
        ),
        Rule(("visited_on", "next_visit_on"), _next_visit_after, "next_visit_on"),
    )

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("mentoring visit")
        verbose_name_plural = _("mentoring visits")

    def __str__(self):
        return f"{self.business} {self.visited_on:%d-%m-%Y}"

    def given_indicators(self):
        """The indicators filled in on this visit, by name."""
        return {
            name: getattr(self, name)
            for name in INDICATOR_FIELDS
            if getattr(self, name) is not None
        }


class FollowUp(Orderable):
    """An action agreed on a visit, with the day it should be done by."""

    visit = ParentalKey(MentoringVisit, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.CharField(_("action"), max_length=300)
    due_on = models.DateField(_("due on"), db_index=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    panels = [FieldPanel("action"), FieldPanel("due_on"), FieldPanel("done_on")]

    class Meta(Orderable.Meta):
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self):
        return self.action

    @property
    def done(self):
        return self.done_on is not None
