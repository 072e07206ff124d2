"""What the pages API shows of a training or event beyond its plain fields.

Seats and the sign-up state come from `training_pages.selectors`, the functions the
public page uses, so the page and the API never disagree. Selectors are imported
inside the fields: the page models name these fields, and the selectors import
the models.
"""

from rest_framework.fields import Field

from core.api_fields import local_iso


class _PageField(Field):
    """A value computed from the whole page rather than read from one attribute."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)


class SessionsField(_PageField):
    """The sessions in the order the page lists them, in Jakarta time with the offset."""

    def to_representation(self, page):
        return [
            {
                "id": session.pk,
                "title": session.title,
                "starts_at": local_iso(session.starts_at),
                "ends_at": local_iso(session.ends_at),
            }
            for session in page.ordered_sessions()
        ]


class KecamatanField(Field):
    def to_representation(self, kecamatan):
        return {"code": kecamatan.code, "name": kecamatan.name}


class SeatsLeftField(_PageField):
    """Free seats, or null when the activity has no seat limit."""

    def to_representation(self, page):
        from training_pages import selectors

        return selectors.seats_left(page)


class SignUpField(_PageField):
    """Whether and until when a business can sign up, and where.

    `state` is one of `selectors.SIGN_UP_STATES`; `url` (the sign-up page) is given
    only while sign-ups are taken, as the page shows its button only then.
    """

    def to_representation(self, page):
        from training_pages import selectors

        state = selectors.sign_up_status(page)
        page_url = page.full_url if state in selectors.TAKING_SIGN_UPS else None
        url = page_url + page.reverse_subpage("sign_up") if page_url else None
        return {
            "state": state,
            "opens_at": local_iso(page.registration_opens_at),
            "closes_at": local_iso(page.sign_up_closes_at()),
            "requires_approval": page.requires_approval,
            "url": url,
        }
