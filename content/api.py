"""The pages endpoint of the site's API (Wagtail API v2, /api/v2/pages/).

Wagtail's own endpoint, with three changes:

- Listings fetch what every page type's `api_fields` show (images with their
  renditions, other foreign keys, child objects such as sessions or form fields,
  tags) in a fixed number of queries, however many pages a listing holds; a
  page type adds what no field names (an annotation) with an `api_queryset`
  class method.
- Rich text is always display HTML (see core.api_fields): `rich_text_format`
  other than `html` is refused rather than answered with database markup.
- A `search_operator` other than `and` or `or` is refused (Wagtail's search
  raises on it, which was a 500).
"""

from django.core.exceptions import FieldDoesNotExist

from wagtail.api.conf import get_model_field
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet as WagtailPagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet as WagtailDocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet as WagtailImagesAPIViewSet
from wagtail.images.models import AbstractImage

RICH_TEXT_FORMAT = "html"
SEARCH_OPERATORS = ("and", "or")


def _field_source(api_field):
    serializer = api_field.serializer
    source = getattr(serializer, "source", None) if serializer is not None else None
    return api_field.name if source in (None, "*") else source


def related_lookups(model, api_fields):
    """(select_related, prefetch_related) lookups for what `api_fields` of `model` show."""
    selected, prefetched = [], []
    for api_field in api_fields:
        name = _field_source(api_field)
        try:
            field = get_model_field(model, name)
        except FieldDoesNotExist:
            continue  # a property or a computed field
        if field.many_to_one and field.concrete:
            selected.append(name)
            if issubclass(field.related_model, AbstractImage):
                prefetched.append(f"{name}__renditions")
        elif field.one_to_many or field.many_to_many:
            prefetched.append(name)
    return selected, prefetched


class SearchOperatorMixin:
    """Refuses an unknown `search_operator` with a 400 (Wagtail's search raises on it)."""

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        operator = self.request.GET.get("search_operator")
        if operator is not None and operator not in SEARCH_OPERATORS:
            raise BadRequestError("search_operator must be 'and' or 'or'")


class ImagesAPIViewSet(SearchOperatorMixin, WagtailImagesAPIViewSet):
    pass


class DocumentsAPIViewSet(SearchOperatorMixin, WagtailDocumentsAPIViewSet):
    pass


class PagesAPIViewSet(SearchOperatorMixin, WagtailPagesAPIViewSet):
    """Live, public pages (Wagtail's rule: view restrictions and drafts stay out)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        model = queryset.model
        selected, prefetched = related_lookups(model, self.get_body_fields(model))
        queryset = queryset.select_related("locale", *selected)
        if prefetched:
            queryset = queryset.prefetch_related(*prefetched)
        prepare = getattr(model, "api_queryset", None)
        return prepare(queryset) if prepare is not None else queryset

    def resolve_rich_text_format(self):
        requested = self.request.GET.get("rich_text_format")
        if requested not in (None, RICH_TEXT_FORMAT):
            raise BadRequestError("rich_text_format: rich text is served as HTML only ('html')")
        return RICH_TEXT_FORMAT
