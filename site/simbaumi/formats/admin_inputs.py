"""The Wagtail admin's date pickers write one fixed format; every language must accept it.

Django's Indonesian input formats write times with a dot (14.30) and the English
ones start with the year, so without these additions a date picked in the admin
(a session, a sign-up window) would be refused as invalid.
"""

from django.utils.module_loading import import_string

ADMIN_DATE = "%d-%m-%Y"
ADMIN_DATETIME = "%d-%m-%Y %H:%M"
ADMIN_TIME = "%H:%M"


def with_admin_formats(language):
    base = f"django.conf.locale.{language}.formats"
    date = import_string(f"{base}.DATE_INPUT_FORMATS")
    datetime = import_string(f"{base}.DATETIME_INPUT_FORMATS")
    time = import_string(f"{base}.TIME_INPUT_FORMATS")
    return (
        [ADMIN_DATE, *(f for f in date if f != ADMIN_DATE)],
        [ADMIN_DATETIME, *(f for f in datetime if f != ADMIN_DATETIME)],
        [ADMIN_TIME, *(f for f in time if f != ADMIN_TIME)],
    )
