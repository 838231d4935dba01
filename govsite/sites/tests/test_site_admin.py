"""网站管理 admin views: only the 系统管理员 may use them, and they go through the actions."""

from __future__ import annotations

import pytest
from django.test import Client

from govsite.audit.models import AuditEvent
from govsite.sites.models import GovSite

pytestmark = pytest.mark.django_db

FORM = {
    "code": "adminmade",
    "name": "后台新建县政府网站",
    "kind": "county",
    "site_id_code": "3501990001",
    "sponsor": "某县人民政府办公室",
    "sponsor_unit": "",
    "organizer": "",
    "icp_number": "闽ICP备05012345号",
    "police_number": "闽公网安备35010202000001号",
    "primary_domain": "www.adminmade.gov.cn",
    "phone": "",
    "address": "",
    "postcode": "",
    "sort_order": "0",
}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("system_admin", 200),
        ("security_admin", 302),
        ("audit_admin", 302),
        ("editor_a", 302),
        ("reviewer_a", 302),
        ("site_admin_a", 302),
        ("editor_b", 302),
    ],
)
@pytest.mark.parametrize("url", ["/admin/govsites/", "/admin/govsites/new/"])
def test_site_admin_views_by_persona(personas, persona: str, expected: int, url: str) -> None:
    assert _client(getattr(personas, persona)).get(url).status_code == expected


def test_system_admin_creates_a_site_through_the_form(personas) -> None:
    resp = _client(personas.system_admin).post("/admin/govsites/new/", {**FORM, "parent": personas.site_a.pk})
    assert resp.status_code == 302
    site = GovSite.objects.get(code="adminmade")
    assert site.root_page.title == "后台新建县政府网站"
    assert AuditEvent.objects.filter(action="sites.create_site", actor_username="sysadmin").count() == 1


def test_invalid_site_shows_chinese_errors_and_saves_nothing(personas) -> None:
    count = GovSite.objects.count()
    resp = _client(personas.system_admin).post(
        "/admin/govsites/new/",
        {**FORM, "parent": personas.site_a.pk, "site_id_code": "12", "primary_domain": "www.sitea.gov.cn"},
    )
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "网站标识码格式不正确" in html
    assert "已被网站“测试网站sitea”使用" in html
    assert GovSite.objects.count() == count


def test_edit_identity_through_the_form(personas) -> None:
    site = personas.site_b
    data = {
        f: getattr(site, f)
        for f in (
            "name",
            "site_id_code",
            "sponsor",
            "organizer",
            "icp_number",
            "police_number",
            "primary_domain",
            "phone",
            "address",
            "postcode",
        )
    }
    resp = _client(personas.system_admin).post(
        f"/admin/govsites/edit/{site.pk}/", {**data, "phone": "0591-12345678"}
    )
    assert resp.status_code == 302
    site.refresh_from_db()
    assert site.phone == "0591-12345678"
    assert AuditEvent.objects.get(action="sites.update_identity").detail["after"] == {
        "phone": "0591-12345678"
    }
