"""Pagination: public listings that never fail on a page number, admin ones that stay fast."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from wagtail.admin.paginator import WagtailPaginator


def estimated_rows(model, using="default"):
    """PostgreSQL's estimate of the rows in `model`'s table (kept by autovacuum), or None
    on another database. -1 means the table was never analysed."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [model._meta.db_table],
        )
        row = cursor.fetchone()
    return row[0] if row else -1


class EstimatedCountPaginator(WagtailPaginator):
    """Uses PostgreSQL's row estimate instead of COUNT(*) for an unfiltered big table.

    An exact COUNT(*) over a million rows costs a full scan on every page view;
    with no filter, search or scope restriction the planner's estimate (kept
    fresh by autovacuum) is good enough to size the pagination. Filtered lists,
    small tables and other databases count exactly.
    """

    def __init__(self, *args, search_limit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.estimated = False
        self.search_limit = search_limit
        self.limited = False

    @cached_property
    def count(self):
        queryset = self.object_list
        if self.search_limit and hasattr(queryset, "query"):
            # A common word matches a good part of a million rows: counting them all
            # would cost more than the page. Past the limit, "more than" is all a
            # person searching needs (the search is refined, not paged to the end).
            # Without its order and joins: the first N of any order are as many, and
            # PostgreSQL can stop at the N-th match instead of sorting all of them.
            found = queryset.select_related(None).order_by()[: self.search_limit + 1].count()
            if found > self.search_limit:
                self.limited = True
                return self.search_limit
            return found
        query = getattr(queryset, "query", None)
        if query is not None and not query.where and not query.distinct:
            estimate = estimated_rows(queryset.model, queryset.db)
            if estimate is not None and estimate >= settings.REGISTRY_ESTIMATED_COUNT_ABOVE:
                self.estimated = True
                return estimate
        return super().count

    @cached_property
    def items_count_label(self):
        label = super().items_count_label
        if self.limited:
            return _("more than %(count)s") % {"count": label}
        return _("about %(count)s") % {"count": label} if self.estimated else label


class BigListIndexMixin:
    """For the index view of a table that grows to a million rows: estimated counts when
    unfiltered, a limited count when searching, and a heading that says which (a snippet
    viewset names `results_template_name` as its `index_results_template_name`)."""

    paginator_class = EstimatedCountPaginator
    results_template_name = "core/admin/big_list_results.html"

    def get_paginator(self, *args, **kwargs):
        if self.is_searching:
            kwargs["search_limit"] = settings.REGISTRY_SEARCH_COUNT_LIMIT
        return super().get_paginator(*args, **kwargs)


def page_of(request, object_list, per_page, param="page"):
    """The page of a public listing that the address asks for.

    A missing or mistyped number shows the first page and one past the end the
    last, so an edited or stale address never answers with an error.
    """
    paginator = Paginator(object_list, per_page)
    try:
        return paginator.page(request.GET.get(param, 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)
