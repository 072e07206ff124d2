"""Wagtail's database search backend, on SQLite with queries that cannot break FTS5.

SQLite's backend puts each search term between double quotes for FTS5 without
escaping a double quote inside it, so one typed quote (`" OR 1=1 --` in the
site search or the API's ?search=) was an FTS5 syntax error and a 500. Inside
quotes FTS5 reads nothing else, so dropping the quotes from the terms is
enough; PostgreSQL's backend escapes its terms itself.
"""

import copy
from functools import cache

from django.db import connection

from wagtail.search.backends.database import SearchBackend as database_backend


def without_quotes(query):
    """The query (a string or a query object) with no double quote in its terms."""
    if isinstance(query, str):
        return query.replace('"', " ").strip()
    query = copy.copy(query)
    if isinstance(getattr(query, "query_string", None), str):
        query.query_string = query.query_string.replace('"', " ").strip()
    if hasattr(query, "subquery"):
        query.subquery = without_quotes(query.subquery)
    if hasattr(query, "subqueries"):
        query.subqueries = [without_quotes(subquery) for subquery in query.subqueries]
    return query


@cache
def _sqlite_backend_class():
    # Imported only on SQLite: the module defines models that exist only there.
    from wagtail.search.backends.database.sqlite.sqlite import SQLiteSearchBackend

    class QuotedTermsSQLiteSearchBackend(SQLiteSearchBackend):
        def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
            return super()._search(
                query_compiler_class, without_quotes(query), model_or_queryset, **kwargs
            )

    return SQLiteSearchBackend, QuotedTermsSQLiteSearchBackend


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks up in a backend module)
    """The backend Wagtail's database search picks for this database, made safe on SQLite."""
    backend = database_backend(params)
    if connection.vendor == "sqlite":
        plain, quoted = _sqlite_backend_class()
        if type(backend) is plain:
            return quoted(params)
    return backend
