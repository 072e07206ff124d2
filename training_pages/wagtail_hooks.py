"""Trainings in the Wagtail admin and on the registry's pages.

Attendance, check-in and certificates keep their hooks in `attendance_hooks`.
"""

from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from sme_registry.evaluation import SECTIONS_HOOK as EVALUATION_SECTIONS_HOOK
from sme_registry.programmes import PROGRAMMES_HOOK
from sme_registry.wagtail_hooks import ANALYSIS_MENU_HOOK, AnalysisMenuItem
from training_pages import analysis as training_analysis
from training_pages import attendance_hooks, permissions, programmes
from training_pages.views import admin as admin_views
from training_pages.views import analysis as analysis_views
from training_pages.viewsets import ParticipantViewSet

participant_viewset = ParticipantViewSet("training_pages_participant")


@hooks.register("register_admin_viewset")
def register_participants():
    return participant_viewset


@hooks.register(attendance_hooks.TRAINING_MENU_HOOK)
def participants_menu_item():
    return attendance_hooks.PermissionMenuItem(
        _("Participants"),
        reverse("training_pages_participant:index"),
        name="participants",
        icon_name="group",
        order=100,
        check=permissions.can_view,
    )


hooks.register(PROGRAMMES_HOOK, programmes.offered)
hooks.register(EVALUATION_SECTIONS_HOOK, training_analysis.evaluation_sections)


@hooks.register("register_admin_urls")
def training_admin_urls():
    return [
        path(
            "training/participants/<int:pk>/message/",
            admin_views.participant_message,
            name="training_participant_message",
        ),
        path(
            "training/participants/<int:pk>/<str:action>/",
            admin_views.participant_action,
            name="training_participant_action",
        ),
        path("analysis/trainings/", analysis_views.trainings, name="training_analysis"),
    ]


@hooks.register(ANALYSIS_MENU_HOOK)
def analysis_trainings_menu_item():
    return AnalysisMenuItem(
        _("Trainings and events"), reverse("training_analysis"), icon_name="table", order=118
    )


@hooks.register("sme_registry_owner_sections")
def owner_training_section(request, owner, signed):
    """On the owner's private page: open trainings, signed up for in one tap."""
    from training_pages.selectors import open_activities_for_owner

    activities = open_activities_for_owner(owner)
    if not activities:
        return ""
    return render_to_string(
        "training_pages/includes/owner_section.html",
        {"activities": activities, "signed": signed, "businesses": list(owner.businesses.all())},
        request=request,
    )


@hooks.register("sme_registry_business_inspect_sections")
def business_training_history(request, business):
    """A business's trainings and events (attendance, certificates) on its registry record."""
    from training_pages.attendance import training_history

    html = render_to_string(
        "training_pages/admin/includes/training_history.html",
        {"participations": training_history(business)},
        request=request,
    )
    return [(_("Trainings and events"), html)]


@hooks.register("content_home_sections")
def training_home_section(request, home_page):
    """The next trainings and events on the home page, with a link to all of them."""
    from django.template.loader import render_to_string

    from training_pages import selectors
    from training_pages.models import TrainingIndexPage

    index = TrainingIndexPage.objects.live().public().descendant_of(home_page).first()
    if index is None:
        return ""
    return render_to_string(
        "training_pages/includes/home_section.html",
        {"index": index, "upcoming": selectors.next_activities(home_page)},
        request=request,
    )


@hooks.register("seed_demo")
def seed_training_demo(demo):
    from training_pages.demo import seed_training

    seed_training(demo)
