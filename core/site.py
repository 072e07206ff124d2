"""What the registry and trainings show of the office, without importing the content app.

The content app owns the editor-managed office details and answers through the
`office_name` hook, so the dependency keeps running one way.
"""

from wagtail import hooks


def office_name(request=None):
    for fn in hooks.get_hooks("office_name"):
        name = fn(request)
        if name:
            return name
    return ""
