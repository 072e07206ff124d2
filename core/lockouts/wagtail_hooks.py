from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.lockouts import VIEW_PERMISSION, views


@hooks.register("register_admin_urls")
def lockout_urls():
    urls = [
        path("", views.index, name="index"),
        path("unlock/", views.unlock, name="unlock"),
    ]
    return [path("sign-in-lockouts/", include((urls, "core_lockouts")))]


class _LockoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)


@hooks.register("register_settings_menu_item")
def lockouts_menu_item():
    return _LockoutsMenuItem(
        _("Sign-in lockouts"),
        reverse("core_lockouts:index"),
        name="sign-in-lockouts",
        icon_name="lock",
        order=900,
    )
