"""How django-axes counts failed sign-ins: per account name and per client address.

See `simbaumi.settings.base` (AXES_*) for the limits, `views` for the lockout
page and the Admin Dinas screen that lifts a lockout.
"""

from django.conf import settings

# Permissions on django-axes' own record of failed sign-ins: seeing it, and lifting a lockout
# (which deletes the failures that caused it).
VIEW_PERMISSION = "axes.view_accessattempt"
UNLOCK_PERMISSION = "axes.delete_accessattempt"


def login_name(request, credentials=None):
    """The account name as typed, folded to lower case.

    Usernames are case-sensitive in Django, but counting "Admin" and "ADMIN"
    apart would let a guesser try ten passwords per spelling.
    """
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        name = request.POST.get("username")
    return name.strip().lower() if isinstance(name, str) else name


def client_ip(request):
    """The client's address, read the way the site's rate limits read it (core.ratelimit)."""
    header = getattr(settings, "RATELIMIT_CLIENT_IP_HEADER", "")
    address = ""
    if header:
        address = request.META.get(header, "").split(",")[0].strip()
    return address or request.META.get("REMOTE_ADDR", "")
