"""The renderer's bulk reads: a site's pages as a range on the path index, rows without Django's
converters, an item's version as one string, and item pages as plain rows."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

from django.db import connections
from django.db.models import QuerySet
from wagtail.models import Page

from govsite.content.models import (
    LibraryItemPage,
)

if TYPE_CHECKING:
    pass


# for an alias its original's. Revisions move with every edit that is published; a move changes the
# address without one.
VERSION_FIELDS = (
    "title",
    "url_path",
    "publish_date",  # shown in lists, and part of the item's address (content.models.item_address)
    "last_published_at",
    "latest_revision_id",
    "live_revision_id",
    "alias_of_id",
    "alias_of__last_published_at",
    "alias_of__live_revision_id",
)


def versioned_items_sql(condition: str) -> str:
    """SQL for (id, path, version, content type id) of the live items of a path range (two parameters,
    as ``in_tree``) that also meet ``condition`` (SQL over ``p``, the page row, and ``i``, the item
    row; its values bound as parameters after the range)."""
    return f"{_versioned_items_select()} AND ({condition})"


@cache
def _versioned_items_select() -> str:
    """The version is ``VERSION_FIELDS`` joined by "|", as one flat expression written out once here
    rather than compiled by the ORM for every query: compiling it as nested ``Concat``s cost more
    than running the query for a few hundred items, and the database builds the flat string faster.
    Every version is read through this one SQL, so fingerprints made by any query compare."""
    quote = connections["default"].ops.quote_name
    page, item = quote(Page._meta.db_table), quote(LibraryItemPage._meta.db_table)
    link = quote(LibraryItemPage._meta.pk.column)
    parts = []
    for name in VERSION_FIELDS:
        field = LibraryItemPage._meta.get_field(name.removeprefix("alias_of__"))
        table = "o" if name.startswith("alias_of__") else "p" if field.model is Page else "i"
        parts.append(f"COALESCE(CAST({table}.{quote(field.column)} AS TEXT), '')")
    version = " || '|' || ".join(parts)
    return (
        f"SELECT i.{link}, p.{quote('path')}, {version}, p.{quote('content_type_id')} "  # noqa: S608 - names from model metadata, values bound
        f"FROM {item} i INNER JOIN {page} p ON i.{link} = p.{quote('id')} "
        f"LEFT OUTER JOIN {page} o ON p.{quote('alias_of_id')} = o.{quote('id')} "
        f"WHERE p.{quote('live')} AND p.{quote('path')} > %s AND p.{quote('path')} <= %s"
    )


def sql_rows(sql: str, params: Iterable[Any]) -> list[tuple[Any, ...]]:
    """The rows of this SQL as the database driver returns them."""
    with connections["default"].cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def raw_rows(query: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` query as the database driver returns them, without Django's
    per-value converters (on SQLite a datetime stays text): for values that are only hashed, compared
    or used as ids, this makes loading 10,000 rows ~3× cheaper."""
    sql, params = query.query.get_compiler(using=query.db).as_sql()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def in_tree(root_path: str) -> dict[str, str]:
    """Filter arguments for the pages below ``root_path``, as a range on the indexed ``path`` column:
    SQLite cannot use an index for Django's ``path__startswith`` (``LIKE 'x%'``), and every such query
    scanned the whole page table (~15 ms at 100,000 pages). Paths are made of 0-9 and A-Z only."""
    limit = Page._meta.get_field("path").max_length or 255
    return {"path__gt": root_path, "path__lte": root_path + "Z" * (limit - len(root_path))}


class ItemRow:
    """An item page as a row of its columns (``values()``), read by the templates like the page."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)
        self.pk = values["id"]


# Page columns the item templates and the renderer read, besides the item type's own fields.
_PAGE_FIELDS = ("id", "title", "path", "url_path", "alias_of_id", "search_description", "live")


_ROW_FIELDS: dict[type[LibraryItemPage], tuple[str, ...]] = {}


def row_fields(model: type[LibraryItemPage]) -> tuple[str, ...]:
    fields = _ROW_FIELDS.get(model)
    if fields is None:
        own = [
            field.attname
            for parent in (LibraryItemPage, model)
            for field in parent._meta.local_concrete_fields
            if not field.primary_key
        ]
        fields = _ROW_FIELDS[model] = tuple(dict.fromkeys([*_PAGE_FIELDS, *own]))
    return fields
