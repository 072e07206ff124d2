from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.fields import RichTextField

from core.richtext import RICH_TEXT_FEATURES
from core.rules import Rule, RulesMixin

PERIOD_REVERSED = _("The end of the period comes before its start.")
FINAL_WITHOUT_FIGURES = _("A final report keeps the figures it was finalised with.")


def _period(report):
    if report.period_start and report.period_end and report.period_end < report.period_start:
        raise ValidationError(PERIOD_REVERSED, code="period_reversed")


def _final_has_figures(report):
    if report.finalised_at is not None and report.figures is None:
        raise ValidationError(FINAL_WITHOUT_FIGURES, code="final_without_figures")


class EvaluationReport(RulesMixin, models.Model):
    """A laporan evaluasi: a period's figures with the office's reading of them.

    A draft shows live figures; finalising stores them (`figures`), so a report read
    later, or set beside another period's, says what was known when it was written.
    A finalised report is not changed (`permissions.EvaluationReportPolicy`).
    """

    class Kind(models.TextChoices):
        MONTH = "month", _("month")
        QUARTER = "quarter", _("quarter")
        YEAR = "year", _("year")
        ACTIVITY = "activity", _("after an activity (e.g. 30 days after a training)")
        OTHER = "other", _("other period")

    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("kind of period"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    kecamatan = models.ForeignKey(
        "sme_registry.Kecamatan",
        verbose_name=_("kecamatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty for the whole kabupaten."),
    )
    narrative = RichTextField(
        _("evaluation"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("What the figures show, what went well and what did not."),
    )
    next_activities = RichTextField(
        _("next activities"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("What the office will do next, following this evaluation."),
    )
    figures = models.JSONField(_("figures"), null=True, blank=True, editable=False)
    figures_as_of = models.DateTimeField(_("figures as of"), null=True, editable=False)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, editable=False)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalised by"),
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    rules = (
        Rule(("period_start", "period_end"), _period, "period_end"),
        Rule(("finalised_at", "figures"), _final_has_figures, "figures"),
    )

    class Meta:
        ordering = ["-period_start", "-pk"]
        verbose_name = _("evaluation report")
        verbose_name_plural = _("evaluation reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="evaluation_period_in_order",
                violation_error_message=PERIOD_REVERSED,
            ),
            models.CheckConstraint(
                condition=models.Q(finalised_at__isnull=True) | models.Q(figures__isnull=False),
                name="evaluation_final_has_figures",
                violation_error_message=FINAL_WITHOUT_FIGURES,
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_final(self):
        return self.finalised_at is not None
