"""Admin viewsets whose every view goes through the model's permission policy.

Wagtail's generic views check model-level permissions; a scoped registry also
needs instance-level ones on every address that names a record. The mixin
below wraps each such URL with the action it performs (edit → change,
history → view, ...): a record the user may not even see answers 404, one
they may see but not act on answers 403, before Wagtail's view runs. A URL
the table does not know fails at start-up, so a view added by a later Wagtail
cannot slip past the scope. Listings, exports and choosers read through the
same policy, and so do the forms' choice fields.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import Http404

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)

from core.permissions import ScopedPermissionPolicy, policy_for

# What each per-record admin address does, by its URL name.
URL_ACTIONS = {
    "edit": "change",
    "delete": "delete",
    # Wagtail shows a record's history and usage to those who may change it.
    "usage": "change",
    "history": "change",
    "history_results": "change",
    "inspect": "view",
    "copy": "add",
    "reorder": "change",
    "preview_on_edit": "change",
    "revisions_view": "change",
    "revisions_revert": "change",
    "revisions_compare": "change",
    "revisions_unschedule": "publish",
    "unpublish": "publish",
    "lock": "change",
    "unlock": "change",
    # Reviewers need to see the record; the review step decides what they may do.
    "workflow_action": "view",
    "collect_workflow_action_data": "view",
    "confirm_workflow_cancellation": "change",
    "workflow_history": "change",
    "workflow_history_detail": "change",
    "workflow_preview": "view",
}


def guard(view, policy, action):
    """Wrap a view taking `pk`: 404 outside the user's scope, 403 for an action not allowed."""

    def guarded(request, *args, **kwargs):
        pk = unquote(str(kwargs["pk"]))
        user = request.user
        if not policy.filter_queryset(user, action, policy.model._default_manager.filter(pk=pk)):
            if policy.filter_queryset(user, "view", policy.model._default_manager.filter(pk=pk)):
                raise PermissionDenied
            raise Http404
        return view(request, *args, **kwargs)

    guarded.scope_action = action
    return guarded


class ScopedIndexMixin:
    """The listing, its search, filters and exports show only records the user may see."""

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        return policy_for(self.model).filter_queryset(self.request.user, "view", queryset)


class ScopedViewSetMixin:
    """Mix into a SnippetViewSet or ModelViewSet whose model has a ScopedPermissionPolicy."""

    @property
    def chooser_viewset_class(self):
        return ScopedChooserViewSet

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not issubclass(self.index_view_class, ScopedIndexMixin):
            self.index_view_class = type(
                f"Scoped{self.index_view_class.__name__}",
                (ScopedIndexMixin, self.index_view_class),
                {},
            )
        if not issubclass(self.inspect_view_class, ReadableInspectMixin):
            self.inspect_view_class = type(
                f"Readable{self.inspect_view_class.__name__}",
                (ReadableInspectMixin, self.inspect_view_class),
                {},
            )

    @property
    def scope_policy(self):
        policy = policy_for(self.model)
        if not isinstance(policy, ScopedPermissionPolicy):
            raise ImproperlyConfigured(f"{self.model.__name__} has no scoped permission policy.")
        return policy

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            if "pk" not in pattern.pattern.converters and "(?P<pk>" not in str(pattern.pattern):
                continue
            action = URL_ACTIONS.get(pattern.name)
            if action is None:
                raise ImproperlyConfigured(
                    f"{self.model.__name__}: no permission action known for the admin URL "
                    f"'{pattern.name}'; add it to core.viewsets.URL_ACTIONS."
                )
            pattern.callback = guard(pattern.callback, self.scope_policy, action)
        return patterns

    def listing_queryset(self, queryset):
        """Joins and annotations the listing needs (override); the index view applies the scope."""
        return queryset

    def get_queryset(self, request):
        return self.listing_queryset(self.model._default_manager.all())


# --- Choosers ----------------------------------------------------------------------------


class _ScopedChooserMixin:
    """A chooser offers, finds and returns only records the user may see."""

    def dispatch(self, request, *args, **kwargs):
        if not policy_for(self.model_class).user_has_permission(request.user, "view"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object_list(self):
        policy = policy_for(self.model_class)
        return policy.filter_queryset(
            self.request.user, "view", self.model_class._default_manager.all()
        )


class ScopedChosenView(_ScopedChooserMixin, SnippetChosenView):
    def get_object(self, pk):
        return self.get_object_list().get(pk=pk)


class ScopedChosenMultipleView(_ScopedChooserMixin, SnippetChosenMultipleView):
    def get_objects(self, pks):
        return self.get_object_list().filter(pk__in=pks)


class ScopedChooserViewSet(SnippetChooserViewSet):
    choose_view_class = type("ScopedChooseView", (_ScopedChooserMixin, ChooseView), {})
    choose_results_view_class = type(
        "ScopedChooseResultsView", (_ScopedChooserMixin, ChooseResultsView), {}
    )
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView


# --- Forms -------------------------------------------------------------------------------


class ScopedAdminModelForm(WagtailAdminModelForm):
    """Every choice of a scoped record offers only what the user may see.

    A POST naming a record outside the scope is refused by the field itself
    ("Select a valid choice"), whatever the widget showed. Forms narrow further
    where a field needs it (e.g. the businesses a mentor may visit).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        for field in self.fields.values():
            if not isinstance(field, (ModelChoiceField, ModelMultipleChoiceField)):
                continue
            policy = policy_for(field.queryset.model)
            if isinstance(policy, ScopedPermissionPolicy):
                field.queryset = policy.filter_queryset(user, "view", field.queryset)


# --- Bulk actions ------------------------------------------------------------------------


class ScopedBulkAction(SnippetBulkAction):
    """Records selected outside the user's scope are not even named: 404 when none remain.

    `permission_action` is the policy action every record must allow.
    """

    permission_action = "change"

    def get_queryset(self, model, object_ids):
        policy = policy_for(model)
        objects = list(
            policy.filter_queryset(
                self.request.user,
                self.permission_action,
                model._default_manager.filter(pk__in=object_ids),
            )
        )
        if not objects:
            raise Http404
        return objects

    def check_perm(self, obj):
        return policy_for(type(obj)).user_has_permission(self.request.user, self.permission_action)


# --- Inspect views ------------------------------------------------------------------------


class ReadableInspectMixin:
    """An inspect view in words: yes/no for booleans, a dash for nothing, local times.

    Wagtail shows a raw True, False or None, which reads as English on an
    Indonesian screen.
    """

    def get_field_display_value(self, field_name, field):
        import datetime

        from django.utils import timezone
        from django.utils.formats import date_format
        from django.utils.translation import gettext as _

        value = super().get_field_display_value(field_name, field)
        if value is None or value == "":
            return "-"
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "j F Y, H.i")
        if isinstance(value, datetime.date):
            return date_format(value, "j F Y")
        return value


class YesNoColumn(BooleanColumn):
    """Wagtail's tick and cross, titled "ya" and "tidak" rather than True and False."""

    cell_template_name = "core/tables/yes_no_cell.html"
