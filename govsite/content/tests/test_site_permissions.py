"""Per-site editing rights: an 信息员 of one site can neither see nor edit another site's pages."""

from __future__ import annotations

import pytest
from django.test import Client
from wagtail.models import Page

from govsite.accounts.models import User
from govsite.content.models import ArticlePage
from govsite.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(personas):
    col_a = f.column(personas.site_a, "政务要闻", responsible_unit=personas.unit_a, slug="zwyw")
    col_b = f.column(personas.site_b, "县区动态", responsible_unit=personas.unit_b, slug="xqdt")
    return {
        "col_a": col_a,
        "col_b": col_b,
        "art_a": f.article(col_a, "甲站文章"),
        "art_b": f.article(col_b, "乙站文章"),
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("editor_a", 200),
        ("reviewer_a", 200),
        ("site_admin_a", 200),
        ("editor_b", 302),
        ("system_admin", 302),
        ("security_admin", 302),
        ("audit_admin", 302),
    ],
)
def test_edit_view_of_a_site_a_article(personas, pages, persona: str, expected: int) -> None:
    resp = _client(getattr(personas, persona)).get(f"/admin/pages/{pages['art_a'].pk}/edit/")
    assert resp.status_code == expected
    if expected == 302:  # Wagtail answers a forbidden page with a redirect and a "权限" message
        assert resp["Location"] == "/admin/"


def test_anonymous_is_sent_to_login(pages) -> None:
    resp = Client().get(f"/admin/pages/{pages['art_a'].pk}/edit/")
    assert resp.status_code == 302
    assert resp["Location"].startswith("/admin/login/")


def test_editor_b_cannot_post_an_edit_to_site_a(personas, pages) -> None:
    art = pages["art_a"]
    revisions = art.revisions.count()
    resp = _client(personas.editor_b).post(
        f"/admin/pages/{art.pk}/edit/", {"title": "篡改", "slug": art.slug}
    )
    assert resp.status_code == 302
    art.refresh_from_db()
    assert art.title == "甲站文章"
    assert art.revisions.count() == revisions


def test_editor_b_cannot_add_pages_under_site_a(personas, pages) -> None:
    count = ArticlePage.objects.count()
    url = f"/admin/pages/add/content/articlepage/{pages['col_a'].pk}/"
    assert _client(personas.editor_b).get(url).status_code == 302
    _client(personas.editor_b).post(url, {"title": "越权文章", "slug": "x", "body": "{}"})
    assert ArticlePage.objects.count() == count


def test_explorer_shows_only_the_editors_own_site(personas, pages) -> None:
    resp = _client(personas.editor_b).get(f"/admin/pages/{pages['col_b'].pk}/")
    assert resp.status_code == 200
    assert "乙站文章" in resp.content.decode()
    resp_a = _client(personas.editor_b).get(f"/admin/pages/{pages['col_a'].pk}/")
    assert resp_a.status_code == 302
    root = Page.get_first_root_node()
    html = _client(personas.editor_b).get(f"/admin/pages/{root.pk}/").content.decode()
    assert personas.site_a.name not in html


def test_page_permissions_follow_the_site(personas, pages) -> None:
    perms_b = pages["art_a"].permissions_for_user(personas.editor_b)
    assert not perms_b.can_edit()
    perms_a = pages["art_a"].permissions_for_user(personas.editor_a)
    assert perms_a.can_edit()
    assert not perms_a.can_publish()  # 先审后发: the editor submits, the reviewer publishes
    assert pages["art_a"].permissions_for_user(personas.reviewer_a).can_publish()


def test_unit_editor_writes_in_its_units_columns_on_any_site(personas, pages) -> None:
    col_b_for_unit_a = f.column(personas.site_b, "教育专栏", responsible_unit=personas.unit_a, slug="jyzl")
    assert col_b_for_unit_a.permissions_for_user(personas.editor_a).can_add_subpage()
    assert not pages["col_b"].permissions_for_user(personas.editor_a).can_add_subpage()
    assert not personas.site_b.root_page.permissions_for_user(personas.editor_a).can_add_subpage()


def test_reassigning_a_column_moves_the_rights(personas, pages) -> None:
    col = pages["col_a"]
    assert col.permissions_for_user(personas.editor_a).can_edit()
    resp = _client(personas.site_admin_a).post(
        f"/admin/pages/{col.pk}/edit/",
        {
            "title": col.title,
            "slug": col.slug,
            "column_class": col.column_class,
            "responsible_unit": personas.unit_b.pk,
            "description": "",
            "keywords": "",
            "action-publish": "1",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    col.refresh_from_db()
    assert col.responsible_unit == personas.unit_b
    # Wagtail caches permissions on the user object: check with fresh instances.
    assert not col.permissions_for_user(User.objects.get(pk=personas.editor_a.pk)).can_edit()
    assert col.permissions_for_user(User.objects.get(pk=personas.editor_b.pk)).can_edit()
