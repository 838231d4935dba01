"""P6: a column that must publish personal data (惩戒公示) is exempt by configuration only — set by the
site's 站点管理员 with its legal basis — and every exempted finding is logged without the data itself."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from govsite.audit.models import AuditEvent
from govsite.checks.tests.files import ID_A
from govsite.content.models import ColumnPage
from govsite.review import actions
from govsite.review.tests.conftest import draft
from govsite.testing import factories as f

pytestmark = pytest.mark.django_db

BODY = f"<p>失信被执行人：张三，身份证号 {ID_A}。</p>"


def _exempt(column: ColumnPage, basis: str = "《失信被执行人名单信息公布办法》第十条") -> None:
    ColumnPage.objects.filter(pk=column.pk).update(disclosure_exempt=True, disclosure_basis=basis)


def test_an_exempt_column_keeps_no_personal_data_findings_and_logs_each(personas: Any) -> None:
    column = f.column(personas.site_a, "失信惩戒公示", responsible_unit=personas.unit_a, slug="sxcj")
    _exempt(column)
    page = draft(column, "失信被执行人名单公示", body=BODY, user=personas.editor_a)

    assert actions.run_checks(None, page, trigger="manual") == []

    event = AuditEvent.objects.get(action="review.p6_exemption")
    assert event.detail["basis"] == "《失信被执行人名单信息公布办法》第十条"
    assert event.detail["rules"] == {"P1": 1}
    assert event.detail["exempted"] == [{"rule": "P1", "location": "正文", "masked": "35*************234"}]
    assert ID_A not in str(event.detail)  # the log never holds the personal data


def test_the_same_text_in_an_ordinary_column_is_blocked(personas: Any) -> None:
    column = f.column(personas.site_a, "通知公告", responsible_unit=personas.unit_a, slug="tzgg")
    page = draft(column, "名单公示", body=BODY, user=personas.editor_a)

    [finding] = actions.run_checks(None, page, trigger="manual")

    assert (finding.rule, finding.severity) == ("P1", "critical")
    assert not AuditEvent.objects.filter(action="review.p6_exemption").exists()


def test_an_exemption_needs_its_legal_basis(personas: Any) -> None:
    column = f.column(personas.site_a, "失信惩戒公示", responsible_unit=personas.unit_a, slug="sxcj")
    column.disclosure_exempt = True
    with pytest.raises(ValidationError) as refused:
        column.full_clean()
    assert refused.value.message_dict["disclosure_basis"] == ["设置个人信息公示豁免须填写豁免依据"]


@pytest.mark.parametrize(
    ("persona", "allowed"), [("site_admin_a", True), ("editor_a", False), ("reviewer_a", False)]
)
def test_only_the_site_admin_sets_the_exemption(personas: Any, persona: str, allowed: bool) -> None:
    column = f.column(
        personas.site_a,
        "失信惩戒公示",
        responsible_unit=personas.unit_a,
        slug="sxcj",
        info_officer=personas.editor_a,
    )
    client = Client()
    client.force_login(getattr(personas, persona))
    edit = reverse("wagtailadmin_pages:edit", args=[column.pk])
    page = client.get(edit)
    if page.status_code != 200:  # no edit access at all: nothing to set
        assert not allowed
        return
    data = querydict_from_html(page.content.decode(), form_id="page-edit-form")
    data["disclosure_exempt"] = "on"
    data["disclosure_basis"] = "《失信被执行人名单信息公布办法》第十条"
    data["action-publish"] = "action-publish"

    response = client.post(edit, data)

    column.refresh_from_db()
    assert column.disclosure_exempt is allowed
    if not allowed:
        assert "只有本网站的站点管理员可以设置个人信息公示豁免" in response.content.decode()
