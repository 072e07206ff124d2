"""How many pixels one request may decode, across all the images it sends.

Decoding is what costs memory and time: Pillow holds about four bytes per
decoded pixel, so a 127 KB single-colour PNG of 40 megapixels takes some
160 MB, and a form with several such files takes a worker to gigabytes.
Every decode first charges its pixel count here; a request that would go over
``settings.UPLOAD_PIXEL_BUDGET`` is refused before anything is decoded.

The budget is opened when a request starts and dropped when it finishes
(``begin_request`` / ``end_request``, connected in ``CoreConfig.ready``).
Outside a request (commands, a shell) each image gets a budget of its own,
unless the caller opens one with ``pixel_budget()``.
"""

from __future__ import annotations

import contextlib
import contextvars

from django.conf import settings

DEFAULT_PIXEL_BUDGET = 24_000_000

_current: contextvars.ContextVar[PixelBudget | None] = contextvars.ContextVar(
    "upload_pixel_budget", default=None
)


def budget_pixels() -> int:
    return int(getattr(settings, "UPLOAD_PIXEL_BUDGET", DEFAULT_PIXEL_BUDGET))


class PixelBudget:
    """Pixels still free for decoding in one request."""

    def __init__(self, total: int | None = None):
        self.total = budget_pixels() if total is None else total
        self.used = 0

    def fits_alone(self, pixels: int) -> bool:
        return pixels <= self.total

    def charge(self, pixels: int) -> bool:
        """Take ``pixels`` from the budget; False (and nothing taken) if they do not fit."""
        if self.used + pixels > self.total:
            return False
        self.used += pixels
        return True


def current() -> PixelBudget:
    """The request's budget, or a fresh one for a single image outside any request."""
    budget = _current.get()
    return budget if budget is not None else PixelBudget()


@contextlib.contextmanager
def pixel_budget(total: int | None = None):
    """Share one budget among the images decoded inside the block."""
    budget = PixelBudget(total)
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)


def begin_request(**kwargs):
    """``request_started`` receiver: each request starts with the whole budget."""
    _current.set(PixelBudget())


def end_request(**kwargs):
    """``request_finished`` receiver: nothing carries over into the next request."""
    _current.set(None)
