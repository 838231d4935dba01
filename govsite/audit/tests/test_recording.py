"""What gets recorded and how: fail closed (DB-14), log injection (DB-12), and the login, logout and
failed-login events (DB-11)."""

from __future__ import annotations

import re
from typing import Any, NoReturn

import pytest
from django.test import Client
from django.urls import reverse

from govsite.accounts.actions import create_unit
from govsite.accounts.models import Unit
from govsite.audit.log import record, verify_chain
from govsite.audit.models import AuditEvent
from govsite.testing.factories import PASSWORD

HOSTILE_NAME = "evil\n\x1b[31mroot\r\x00\x7f"
ENCODED_NAME = "evil\\x0a\\x1b[31mroot\\x0d\\x00\\x7f"
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _refuse_audit_insert(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_save(self: AuditEvent, *args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError("审计存储不可用")

    monkeypatch.setattr(AuditEvent, "save", broken_save)


@pytest.mark.django_db
def test_action_rolls_back_when_its_audit_row_cannot_be_written(monkeypatch: pytest.MonkeyPatch) -> None:
    _refuse_audit_insert(monkeypatch)

    with pytest.raises(RuntimeError, match="审计存储不可用"):
        create_unit(None, name="审计失败时的单位")

    assert not Unit.objects.filter(name="审计失败时的单位").exists()
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_action_commits_together_with_its_audit_row() -> None:
    unit = create_unit(None, name="正常新建的单位")

    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id, event.object_repr) == (
        "accounts.create_unit",
        "accounts.unit",
        str(unit.pk),
        "正常新建的单位",
    )


@pytest.mark.django_db
def test_control_characters_are_stored_encoded() -> None:
    event = record(
        None,
        "auth.login_failed",
        username=HOSTILE_NAME,
        object_type="accounts.user",
        object_repr=HOSTILE_NAME,
    )

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_username == ENCODED_NAME
    assert stored.object_repr == ENCODED_NAME
    assert not CONTROL_CHARS.search(stored.actor_username + stored.object_repr)
    assert verify_chain().ok


@pytest.mark.django_db
def test_failed_login_with_a_hostile_username_is_stored_encoded() -> None:
    # No NUL here: Django's form fields reject it before authentication is tried.
    hostile = "evil\n\x1b[31mroot\r\nadmin logged in"
    response = Client().post(reverse("wagtailadmin_login"), {"username": hostile, "password": "x"})

    assert response.status_code == 200
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor_username == "evil\\x0a\\x1b[31mroot\\x0d\\x0aadmin logged in"
    assert not CONTROL_CHARS.search(event.actor_username + event.object_repr)


@pytest.mark.django_db
def test_login_is_recorded(personas: Any) -> None:
    before = AuditEvent.objects.count()

    response = Client(HTTP_USER_AGENT="测试浏览器/1.0").post(
        reverse("wagtailadmin_login"), {"username": "editor_a", "password": PASSWORD}
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(seq__gt=before)
    assert (event.action, event.outcome, event.actor_id, event.actor_username, event.actor_name) == (
        "auth.login",
        "success",
        personas.editor_a.pk,
        "editor_a",
        "甲信息员",
    )
    assert (event.object_type, event.object_id) == ("accounts.user", str(personas.editor_a.pk))
    assert (event.source_ip, event.user_agent) == ("127.0.0.1", "测试浏览器/1.0")
    assert re.fullmatch(r"[0-9a-f]{32}", event.request_id)
    assert event.actor_roles == personas.editor_a.groups.get().name


@pytest.mark.django_db
def test_logout_is_recorded(personas: Any) -> None:
    client = Client()
    client.force_login(personas.editor_a)
    before = AuditEvent.objects.count()

    response = client.post(reverse("wagtailadmin_logout"))

    assert response.status_code == 302
    event = AuditEvent.objects.get(seq__gt=before)
    assert (event.action, event.outcome, event.actor_username) == ("auth.logout", "success", "editor_a")


@pytest.mark.django_db
def test_failed_login_is_recorded(personas: Any) -> None:
    before = AuditEvent.objects.count()

    response = Client().post(
        reverse("wagtailadmin_login"), {"username": "editor_a", "password": "wrong-password"}
    )

    assert response.status_code == 200
    event = AuditEvent.objects.get(seq__gt=before)
    assert (event.action, event.outcome, event.actor_id, event.actor_username, event.object_repr) == (
        "auth.login_failed",
        "failure",
        None,
        "editor_a",
        "editor_a",
    )
    assert "wrong-password" not in str(event.detail)
