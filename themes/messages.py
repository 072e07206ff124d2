"""Indonesian wording for a few framework messages that people see on public forms.

Listing them here keeps them in this project's message catalogue, which takes
precedence over Django's and Wagtail's own translations.
"""

from django.utils.translation import gettext_noop

FRAMEWORK_MESSAGES = [
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a number."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
]
