"""Permission policies with a scope: what a role may do, and on which records.

Every admin surface of a scoped model asks its policy: listings, per-record
views, choosers, bulk actions, exports, reports, editing sessions and the
site history. Django's model permissions (held through the roles' groups) say
which actions a user may take at all; the policy's `scope()` says on which
records. Actions in `never` are refused to everyone, superusers included,
because another path owns them (a business is published only by the last
review step).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import Http404

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

_SCOPED_MODELS = []


class ScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions decide the action, `scope()` the records."""

    #: Actions nobody may take through the generic admin views.
    never = frozenset()
    #: Actions checked against another action's Django permission, e.g. {"revoke": "change"}.
    action_permissions = {}

    def scope(self, user, action, queryset):
        """The records of `queryset` on which `user` may take `action` (all by default)."""
        return queryset

    def _permission_for(self, action):
        return self._get_permission_name(self.action_permissions.get(action, action))

    def user_has_permission(self, user, action):
        if action in self.never or not user.is_active:
            return False
        return user.has_perm(self._permission_for(action))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        allowed = [a for a in actions if a not in self.never]
        if not allowed:
            return get_user_model().objects.none()
        codenames = {
            self._get_permission_codename(self.action_permissions.get(a, a)) for a in allowed
        }
        return self._get_users_with_any_permission_codenames(codenames)

    def scoped(self, user, queryset=None, action="view"):
        """The records (of `queryset`, default all) on which `user` may take `action`."""
        queryset = self.model._default_manager.all() if queryset is None else queryset
        return self.filter_queryset(user, action, queryset)

    def filter_queryset(self, user, action, queryset):
        """`queryset` narrowed to the records on which `user` may take `action`."""
        if not self.user_has_permission(user, action):
            return queryset.none()
        return self.scope(user, action, queryset)

    def instances_user_has_any_permission_for(self, user, actions):
        base = self.model._default_manager.all()
        result = None
        for action in actions:
            if not self.user_has_permission(user, action):
                continue
            scoped = self.scope(user, action, base)
            result = scoped if result is None else (result | scoped)
        return base.none() if result is None else result

    def user_has_permission_for_instance(self, user, action, instance):
        if instance is None or instance.pk is None:
            return self.user_has_permission(user, action)
        if not self.user_has_permission(user, action):
            return False
        one = self.model._default_manager.filter(pk=instance.pk)
        return self.scope(user, action, one).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def users_with_any_permission_for_instance(self, actions, instance):
        candidates = self.users_with_any_permission(actions)
        allowed = [
            user.pk
            for user in candidates
            if self.user_has_any_permission_for_instance(user, actions, instance)
        ]
        return get_user_model().objects.filter(pk__in=allowed)

    # Helpers for views outside the generic ones.

    def get_object(self, user, action, queryset=None, **lookup):
        """One record for `action`: 404 when the user may not even see it, 403 when only seeing."""
        base = self.model._default_manager.all() if queryset is None else queryset
        obj = self.instances_user_has_permission_for(user, action).filter(**lookup)
        obj = base.filter(pk__in=obj.values("pk")).first()
        if obj is not None:
            return obj
        if (
            action != "view"
            and self.instances_user_has_permission_for(user, "view").filter(**lookup).exists()
        ):
            raise PermissionDenied
        raise Http404

    def object_id_filter(self, user, action="view", field="object_id"):
        """A Q on a string object-id column (log entries, workflow states) for the records in scope."""
        ids = (
            self.instances_user_has_permission_for(user, action)
            .annotate(_object_id=Cast("pk", output_field=CharField()))
            .values("_object_id")
        )
        return Q(**{f"{field}__in": ids})


def register_scoped_policy(model, policy):
    """Register `policy` with Wagtail for `model` (exactly), and remember the model as scoped."""
    register_permission_policy(model, policy, exact_class=True)
    _SCOPED_MODELS.append(model)
    return policy


def scoped_models():
    """The models whose records are scoped per user, in registration order."""
    return list(_SCOPED_MODELS)


def policy_for(model):
    return policy_registry.get_by_type(model)


def users_with_permission(codename):
    """Active users who hold `app_label.codename` through a group or directly; no superusers.

    For choice lists of people (mentors, reviewers to notify), where a superuser
    holding every permission is not a candidate.
    """
    from django.contrib.auth.models import Permission

    app_label, name = codename.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=name)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions__in=permission) | Q(user_permissions__in=permission))
        .distinct()
    )
