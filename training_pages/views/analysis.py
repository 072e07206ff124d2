"""Analisis → Trainings (`training_pages.analysis`), beside the registry's screens."""

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from sme_registry.views.analysis import common_context, open_screen
from training_pages import analysis


def trainings(request):
    form, filters, screen = open_screen(request, analysis)
    return TemplateResponse(
        request,
        "training_pages/admin/analysis/trainings.html",
        {
            **common_context(form, filters, screen),
            "header_title": _("Analysis: trainings and events"),
            "activities": screen.activities(),
            "topics": screen.by_topic(),
            "participant_links": screen.participant_links,
        },
    )
