"""How the pages API (Wagtail API v2, /api/v2/pages/) shows rich text, images, links and forms.

Every app's page types use these, so a front end elsewhere gets what the site
itself renders: rich text as display HTML (internal links expanded, never the
database's `<a linktype="page" id="…">` markup), images as renditions with their
addresses, moments in the site's time zone with their offset, and the questions
of a form-builder form as the form asks them.
"""

from rest_framework.fields import Field

from django.utils import timezone

from wagtail.contrib.forms.forms import FormBuilder
from wagtail.images.api.fields import ImageRenditionField
from wagtail.rich_text import expand_db_html

# The largest picture the templates show (components/picture.html), so the API and the
# site share one rendition.
IMAGE_SPEC = "fill-1200x675-c100"


def rich_text_html(source):
    """Database rich text as the HTML the site shows."""
    return expand_db_html(source or "")


def local_iso(value):
    """A moment as ISO 8601 in the site's time zone, e.g. 2026-12-03T09:00:00+07:00."""
    if value is None:
        return None
    return timezone.localtime(value, timezone.get_default_timezone()).isoformat()


def image_rendition(image):
    """url, full_url, width, height and alt of the API's rendition of `image`, or None."""
    if image is None:
        return None
    return ImageRenditionField(IMAGE_SPEC).to_representation(image)


class RichTextHTMLField(Field):
    """A RichTextField as display HTML, whatever `rich_text_format` a client asks for."""

    def to_representation(self, value):
        return rich_text_html(value)


class RenditionField(ImageRenditionField):
    """An image field as the API's rendition (see IMAGE_SPEC)."""

    def __init__(self, **kwargs):
        super().__init__(IMAGE_SPEC, **kwargs)


class PageLinkField(Field):
    """A link to another page: its id and public address, what the site's own link shows.

    No title: the linked page may be a draft or restricted, and the site shows its own
    label for the link, never the page's title.
    """

    def to_representation(self, page):
        return {"id": page.pk, "html_url": page.full_url}


class TagNamesField(Field):
    """Tag names in alphabetical order, read from the prefetched tags where there are.

    Wagtail's own tags field runs a query per page, even with the tags prefetched.
    """

    def to_representation(self, manager):
        return sorted((tag.name for tag in manager.all()), key=str.casefold)


def describe_form_fields(fields):
    """The questions of a form-builder form, as Wagtail's form builder turns them into a form.

    Choices and defaults are read from the built form fields, so they are split the
    way the form splits them (one per line, or comma-separated).
    """
    fields = list(fields)
    built = FormBuilder(fields).formfields.values()
    return [
        {
            "name": field.clean_name,
            "label": field.label,
            "type": field.field_type,
            "required": field.required,
            "help_text": field.help_text,
            "choices": [label for _value, label in getattr(form_field, "choices", ())],
            "default_value": form_field.initial,
        }
        for field, form_field in zip(fields, built, strict=True)
    ]


class FormFieldsField(Field):
    """A form-builder page's fields (read-only: what the form asks, not a way to send it)."""

    def to_representation(self, manager):
        return describe_form_fields(manager.all())
