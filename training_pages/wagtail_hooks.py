"""Wagtail admin hooks of the trainings app; each part keeps its hooks in its own module."""

from training_pages import attendance_hooks  # noqa: F401
