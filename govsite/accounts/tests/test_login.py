"""The admin login page speaks Chinese, and a failed login says so without naming which part was wrong."""

from __future__ import annotations

import pytest
from django.test import Client

from govsite.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_login_page_labels_are_chinese() -> None:
    html = Client().get("/admin/login/").content.decode()
    assert "密码" in html
    assert "输入账号" in html
    assert ">Password<" not in html


def test_wrong_password_gets_a_generic_chinese_error_and_an_audit_row(personas) -> None:
    resp = Client().post("/admin/login/", {"username": "editor_a", "password": "Wrong#2026pass"})
    assert resp.status_code == 200
    assert "账号或密码不正确，请重新输入。" in resp.content.decode()
    row = AuditEvent.objects.get(action="auth.login_failed")
    assert (row.actor_username, row.outcome) == ("editor_a", "failure")
