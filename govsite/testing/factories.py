"""Factories that build test data through the real actions (HOUSE_RULES §8)."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from django.contrib.auth.models import Group
from wagtail.models import Page

from govsite.accounts.actions import create_account, create_unit
from govsite.accounts.models import Unit, User
from govsite.content.models import ArticlePage, ColumnPage
from govsite.sites.actions import create_site
from govsite.sites.models import GovSite

PASSWORD = "Test#2026pass"
_counter = itertools.count(1)


def unit(name: str | None = None, **kwargs: Any) -> Unit:
    return create_unit(None, name=name or f"测试单位{next(_counter)}", **kwargs)


def site(code: str, *, parent: GovSite | None = None, kind: str | None = None, **kwargs: Any) -> GovSite:
    n = next(_counter)
    defaults: dict[str, Any] = {
        "name": f"测试网站{code}",
        "kind": kind or (GovSite.Kind.PORTAL if parent is None else GovSite.Kind.COUNTY),
        "site_id_code": f"3501{n:06d}",
        "sponsor": f"测试网站{code}主办单位",
        "icp_number": "闽ICP备05012345号",
        "police_number": "闽公网安备35010202000001号",
        "primary_domain": f"www.{code}.gov.cn",
    }
    defaults.update(kwargs)
    return create_site(None, code=code, parent=parent, **defaults)


def account(
    username: str,
    *,
    unit_obj: Unit,
    groups: list[Group] | tuple[Group, ...] = (),
    full_name: str | None = None,
) -> User:
    return create_account(
        None,
        username=username,
        full_name=full_name or username,
        unit=unit_obj,
        password=PASSWORD,
        groups=groups,
    )


def column(
    parent: GovSite | Page,
    title: str,
    *,
    responsible_unit: Unit,
    column_class: str = "dynamic",
    info_officer: User | None = None,
    slug: str = "",
) -> ColumnPage:
    from govsite.content.actions import create_column

    parent_page = parent.root_page if isinstance(parent, GovSite) else parent
    return create_column(
        None,
        parent_page,
        title=title,
        column_class=column_class,
        responsible_unit=responsible_unit,
        info_officers=[info_officer] if info_officer else None,
        slug=slug,
    )


def article(
    col: ColumnPage, title: str, *, body: str = "<p>正文内容。</p>", publish: bool = True
) -> ArticlePage:
    page = ArticlePage(title=title, body=body, source="测试来源", live=False)
    col.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


def dated_item(
    col: ColumnPage, title: str, when: datetime, model: type[Any] = ArticlePage, **fields: Any
) -> Any:
    """An item of type ``model`` published in ``col`` with 发布日期 ``when`` (the publisher files it,
    and lists it, by that date) and a body naming its title; read back after publishing."""
    page = model(title=title, body=f"<p>{title}的正文。</p>", publish_date=when, live=False, **fields)
    col.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def published_path(page: Page) -> str:
    """Where the publisher writes ``page`` in its site's tree: ``zwyw/202603/t20260302_10.html`` for an
    item (``item_address``), ``zwyw/index.html`` for a column, ``index.html`` for the home page."""
    parts = page.specific.get_url_parts()
    assert parts is not None, f"{page} 不在任何网站中"
    path = parts[2].lstrip("/")
    return path if path.endswith(".html") else path + "index.html"


def public_url(page: Page) -> str:
    """The page's address on its site, as the embedded server answers it under ``/s/<code>/``:
    ``zwyw/202603/t20260302_10.html`` for an item, ``zwyw/`` for a column."""
    path = published_path(page)
    return path[: -len("index.html")] if path.endswith("index.html") else path
