"""The registry in the Wagtail admin, one module per viewset, grouped under one menu."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.views.snippets import SnippetViewSetGroup

from sme_registry.viewsets.business import BusinessViewSet
from sme_registry.viewsets.mentoring import MentoringVisitViewSet
from sme_registry.viewsets.office import (
    CoverageTargetViewSet,
    EmailTemplateViewSet,
    ImportMappingViewSet,
    StaffAreaViewSet,
)
from sme_registry.viewsets.outreach import OutreachSessionViewSet
from sme_registry.viewsets.owner import OwnerViewSet


class RegistryViewSetGroup(SnippetViewSetGroup):
    items = (
        BusinessViewSet,
        OwnerViewSet,
        OutreachSessionViewSet,
        MentoringVisitViewSet,
        StaffAreaViewSet,
        EmailTemplateViewSet,
        ImportMappingViewSet,
        CoverageTargetViewSet,
    )
    menu_icon = "form"
    menu_label = _("UMKM registry")
    menu_name = "registry"
    menu_order = 150
    # Screens of the registry that are not a model's list (the import) join this menu here.
    submenu_hook = "register_registry_menu_item"


__all__ = [
    "BusinessViewSet",
    "CoverageTargetViewSet",
    "EmailTemplateViewSet",
    "ImportMappingViewSet",
    "MentoringVisitViewSet",
    "OutreachSessionViewSet",
    "OwnerViewSet",
    "RegistryViewSetGroup",
    "StaffAreaViewSet",
]
