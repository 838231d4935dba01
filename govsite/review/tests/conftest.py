"""Fixtures of the review tests: the 单位负责人 of unit A, a column of unit A on site A, and builders for
articles with attachments submitted to their site's workflow through Wagtail's own calls."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Page

from govsite.accounts.models import User
from govsite.content.models import ArticlePage, ColumnPage, ItemAttachment
from govsite.content.permissions import site_collection, unit_head_group
from govsite.sites.models import GovSite
from govsite.testing import factories as f


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test stores its attachments apart, so file names (and URLs) are exactly those uploaded."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def unit_head_a(personas: Any) -> User:
    return f.account(
        "unithead_a",
        unit_obj=personas.unit_a,
        groups=[unit_head_group(personas.unit_a)],
        full_name="甲负责人",
    )


@pytest.fixture
def column_a(personas: Any) -> ColumnPage:
    return f.column(personas.site_a, "教育动态", responsible_unit=personas.unit_a, slug="jydt")


@pytest.fixture
def column_b(personas: Any) -> ColumnPage:
    return f.column(personas.site_b, "县区动态", responsible_unit=personas.unit_b, slug="xqdt")


def make_document(site: GovSite, name: str, data: bytes) -> Any:
    return get_document_model().objects.create(
        title=name, file=ContentFile(data, name=name), collection=site_collection(site)
    )


def draft(
    column: ColumnPage,
    title: str,
    *,
    body: str = "<p>正文内容。</p>",
    documents: Sequence[Any] = (),
    user: User | None = None,
) -> ArticlePage:
    page = ArticlePage(title=title, body=body, source="测试来源", live=False)
    page.attachments = [ItemAttachment(document=doc) for doc in documents]
    column.add_child(instance=page)
    page.save_revision(user=user)
    return page


def submit(page: Page, user: User) -> None:
    """What the editor's 提交给…审核流程 does: start the page's workflow."""
    workflow = page.get_workflow()
    assert workflow is not None
    workflow.start(page, user)


@pytest.fixture
def make_draft() -> Callable[..., ArticlePage]:
    return draft
