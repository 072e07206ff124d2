"""Trainings in the Wagtail admin and on the registry's pages."""

from django.template.loader import render_to_string
from django.urls import path

from wagtail import hooks

from training_pages.views import admin as admin_views
from training_pages.viewsets import ParticipantViewSet

participant_viewset = ParticipantViewSet("training_pages_participant")


@hooks.register("register_admin_viewset")
def register_participants():
    return participant_viewset


@hooks.register("register_admin_urls")
def training_admin_urls():
    return [
        path(
            "training/participants/<int:pk>/<str:action>/",
            admin_views.participant_action,
            name="training_participant_action",
        ),
    ]


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
