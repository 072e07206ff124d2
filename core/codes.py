"""Short codes that people read off paper or a screen, or dictate over the phone.

Tracking codes, referral codes of outreach sessions and certificate codes all
use one alphabet without 0/O and 1/I, so none of them is ever misread.
"""

import secrets

READABLE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def readable_code(length):
    return "".join(secrets.choice(READABLE_ALPHABET) for _ in range(length))


def unused_readable_code(length, queryset, field):
    """A fresh code of `length` that no row of `queryset` holds in `field` yet."""
    while True:
        code = readable_code(length)
        if not queryset.filter(**{field: code}).exists():
            return code
