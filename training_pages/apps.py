from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def fill_freed_seats(sender, instance, **kwargs):
    """A raised capacity gives the new seats to the waiting list, however it is published."""
    from training_pages import services

    services.promote_waitlist(instance)


class TrainingPagesConfig(AppConfig):
    name = "training_pages"
    verbose_name = _("Trainings and events")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from core.permissions import register_scoped_policy
        from training_pages.permissions import POLICIES

        for model_name, policy in POLICIES.items():
            register_scoped_policy(self.get_model(model_name), policy)

        from sme_registry import analysis
        from training_pages.models import EventPage, TrainingPage

        # Analisis → Outcomes counts attendance; Analisis → Trainings sign-ups too.
        analysis.register_kind("trainings", "training_pages.analysis.numbers")
        analysis.watch(
            "training_pages.attendance", "training_pages.participant", "training_pages.certificate"
        )

        for model in (TrainingPage, EventPage):
            page_published.connect(fill_freed_seats, sender=model)
