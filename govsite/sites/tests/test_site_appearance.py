"""A site's appearance in 网站管理 (系统管理员): theme colour (white text must stay readable), logo and
mourning days are edited with the identity, through ``update_site_identity``, and audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from govsite.audit.models import AuditEvent
from govsite.sites.actions import IDENTITY_FIELDS

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _identity(site: Any) -> dict[str, Any]:
    return {name: getattr(site, name) for name in IDENTITY_FIELDS}


def test_the_edit_form_offers_theme_logo_and_mourning_days_in_chinese(personas: Any) -> None:
    html = _client(personas.system_admin).get(f"/admin/govsites/edit/{personas.site_a.pk}/").content.decode()
    for label in ("主题色", "网站标识（Logo）", "哀悼日开始日期", "哀悼日结束日期", "下级网站同时变灰"):
        assert label in html, label
    assert 'type="color" name="theme_color" value="#b71c1c"' in html


def test_a_theme_colour_white_text_cannot_be_read_on_is_refused_and_nothing_saved(personas: Any) -> None:
    site = personas.site_a
    resp = _client(personas.system_admin).post(
        f"/admin/govsites/edit/{site.pk}/", {**_identity(site), "theme_color": "#FF0000"}
    )
    assert resp.status_code == 200
    assert "主题色 #ff0000 上的白色文字对比度只有 4.00:1，低于无障碍要求的 4.5:1" in resp.content.decode()
    site.refresh_from_db()
    assert site.theme_color == "#b71c1c"
    assert not AuditEvent.objects.filter(action="sites.update_identity").exists()


def test_theme_and_mourning_days_are_saved_and_audited(personas: Any) -> None:
    site = personas.site_a
    resp = _client(personas.system_admin).post(
        f"/admin/govsites/edit/{site.pk}/",
        {
            **_identity(site),
            "theme_color": "#1565C0",
            "mourning_from": "2026-04-04",
            "mourning_until": "2026-04-04",
            "mourning_includes_subsites": "on",
        },
    )
    assert resp.status_code == 302
    site.refresh_from_db()
    assert (site.theme_color, str(site.mourning_from), str(site.mourning_until)) == (
        "#1565c0",
        "2026-04-04",
        "2026-04-04",
    )
    assert site.mourning_includes_subsites is True
    detail = AuditEvent.objects.get(action="sites.update_identity").detail
    assert detail == {
        "before": {
            "theme_color": "#b71c1c",
            "mourning_from": None,
            "mourning_until": None,
            "mourning_includes_subsites": False,
        },
        "after": {
            "theme_color": "#1565c0",
            "mourning_from": "2026-04-04",
            "mourning_until": "2026-04-04",
            "mourning_includes_subsites": True,
        },
    }


def test_a_site_admin_cannot_change_the_theme(personas: Any) -> None:
    site = personas.site_a
    resp = _client(personas.site_admin_a).post(
        f"/admin/govsites/edit/{site.pk}/", {**_identity(site), "theme_color": "#1565c0"}
    )
    assert resp.status_code == 302
    assert resp["Location"] == "/admin/"
    site.refresh_from_db()
    assert site.theme_color == "#b71c1c"
