"""Issue 6's "Done means", in a real browser (screenshots under test-artifacts/test_a_full_id_number_in_
an_attachment_is_masked_before_publishing/):

1. The 信息员 writes an article, uploads an XLSX list holding a full 身份证号 through the document
   chooser, and submits it; the checks run on submission.
2. The 审核人 opens it: the editor says approval is blocked; trying to approve (保密审查 attested) is
   refused and lands on 内容检查结果, which shows the number highlighted with the rule explained.
3. She masks it with one click (the XLSX file itself is rewritten), attests "经审查不涉密" — approval
   without the tick is refused in the dialog — and approves step 1.
4. The 单位负责人 approves step 2, which publishes.
5. The published page and the attachment served at its URL hold only the masked number.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from govsite.audit.models import AuditEvent
from govsite.content.models import ArticlePage
from govsite.content.permissions import unit_head_group
from govsite.review.models import ReviewFinding
from govsite.testing import factories as f
from govsite.testing.browser import admin_url, login, logout, new_context, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "测试市教育局关于2026年家庭经济困难学生资助名单的公示"
BODY = "根据资助评审结果，现将名单公示如下，详见附件。"
FULL_ID = "350102199003071234"  # region, birth date and GB 11643 check digit all valid
MASKED_ID = "35*************234"
BLOCKED = "内容检查发现 1 条严重问题，须一键脱敏或修改后方可批准；确需发布的，由单位负责人填写理由特批"


def _xlsx(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "资助名单"
    sheet.append(["序号", "姓名", "身份证号", "资助金额"])
    sheet.append(["1", "张三", FULL_ID, "2000"])
    workbook.save(path)
    return path


def _approve_in_dialog(page: Page, label: str) -> None:
    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name=label, exact=True).click()


def test_a_full_id_number_in_an_attachment_is_masked_before_publishing(
    live_server: LiveServer,
    personas: Any,
    browser: Browser,
    page: Page,
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    site_a = personas.site_a
    column = f.column(
        site_a, "通知公告", responsible_unit=personas.unit_a, slug="tzgg", column_class="notice"
    )
    unit_head = f.account(
        "unithead_a",
        unit_obj=personas.unit_a,
        groups=[unit_head_group(personas.unit_a)],
        full_name="甲负责人",
    )
    upload = _xlsx(tmp_path / "资助名单.xlsx")

    # 1. The 信息员 writes the article, uploads the list through the document chooser and submits it.
    login(page, base, personas.editor_a.username)
    page.goto(admin_url(base, "wagtailadmin_pages:add", "content", "articlepage", column.pk))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_source").fill("测试市教育局")
    page.locator("[data-contentpath='body'] .public-DraftEditor-content").click()
    page.keyboard.type(BODY)
    expect(page.locator("input[name='body']")).to_have_value(re.compile(re.escape(BODY)))
    page.get_by_role("button", name=re.compile("增加.*附件")).click()
    page.get_by_role("button", name="选择一个文档").click()
    modal = page.locator(".modal-content")
    modal.get_by_role("tab", name="上传").click()
    modal.locator("input[type=file]").set_input_files(str(upload))
    modal.get_by_label("标题").fill("资助名单")
    modal.get_by_role("button", name="上传").click()
    expect(page.get_by_text("资助名单", exact=True)).to_be_visible()  # the chosen document
    shot(page, "editor-article-with-attachment", full_page=True)
    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name=f"提交给{site_a.name}审核流程").click()
    expect(page.get_by_text(f"页面 '{TITLE}' 已创建并提交审核。")).to_be_visible()
    shot(page, "editor-submitted")

    item = ArticlePage.objects.get(title=TITLE)
    [attachment] = item.attachments.all()
    document = attachment.document
    [finding] = ReviewFinding.objects.filter(page=item)
    assert (finding.rule, finding.severity, finding.location, finding.trigger) == (
        "P1",
        "critical",
        "资助名单!C2",
        "submit",
    )

    # 2. The 审核人 opens it: blocked, and the findings page shows the number in place.
    logout(page, base)
    login(page, base, personas.reviewer_a.username)
    page.goto(admin_url(base, "wagtailadmin_pages:edit", item.pk))
    expect(page.get_by_text(BLOCKED)).to_be_visible()
    shot(page, "reviewer-editor-notice")
    _approve_in_dialog(page, "批准")
    dialog = page.locator(".modal-content")
    dialog.get_by_label("经审查不涉密").check()
    dialog.get_by_role("button", name="批准").click()
    expect(page).to_have_url(admin_url(base, "govsite_review:findings", item.pk))
    expect(page.get_by_role("alert").filter(has_text=BLOCKED).first).to_be_visible()
    row = page.locator("tr.review-finding--critical")
    expect(row.locator("mark")).to_have_text(FULL_ID)
    expect(row).to_contain_text("严重")
    expect(row).to_contain_text("附件《资助名单》资助名单!C2")
    expect(row).to_contain_text("身份证号：完整的身份证号属于个人敏感信息")
    shot(page, "reviewer-blocked-findings", full_page=True)
    assert ArticlePage.objects.get(pk=item.pk).current_workflow_task.approver == "reviewer"

    # 3. One click masks the number in the XLSX file itself.
    row.get_by_role("button", name="一键脱敏").click()
    expect(page.get_by_text(f"已一键脱敏：附件《资助名单》资助名单!C2改为“{MASKED_ID}”")).to_be_visible()
    expect(page.get_by_text("没有待处理的问题。")).to_be_visible()
    shot(page, "reviewer-masked", full_page=True)

    # 保密审查 is required: the dialog refuses an approval without the tick.
    page.goto(admin_url(base, "wagtailadmin_pages:edit", item.pk))
    _approve_in_dialog(page, "批准")
    dialog = page.locator(".modal-content")
    dialog.get_by_role("button", name="批准").click()
    expect(dialog.get_by_text("须确认“经审查不涉密”后方可批准")).to_be_visible()
    shot(page, "reviewer-attestation-required")
    dialog.get_by_label("经审查不涉密").check()
    dialog.get_by_label("审核意见").fill("已脱敏，经审查不涉密，同意。")
    shot(page, "reviewer-attests")
    dialog.get_by_role("button", name="批准").click()
    expect(page.get_by_text(f"页面 '{TITLE}' 已被更新。")).to_be_visible()
    shot(page, "reviewer-approved-step-1")
    item = ArticlePage.objects.get(pk=item.pk)
    assert item.live is False
    assert item.current_workflow_task.approver == "unit_head"
    [attested] = AuditEvent.objects.filter(action="review.secrecy_attested", object_id=str(item.pk))
    assert (attested.actor_username, attested.detail["name"], attested.detail["attestation"]) == (
        "reviewer_a",
        "甲审核人",
        "经审查不涉密",
    )

    # 4. The 单位负责人 approves the last step, which publishes.
    logout(page, base)
    login(page, base, unit_head.username)
    awaiting = page.locator("section", has=page.get_by_role("heading", name="等待你的审查"))
    expect(awaiting.get_by_role("link", name=TITLE)).to_be_visible()
    shot(page, "unit-head-dashboard")
    awaiting.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(admin_url(base, "wagtailadmin_pages:edit", item.pk))
    _approve_in_dialog(page, "批准 和发布")
    expect(page.get_by_text(f"页面 '{TITLE}' 已被更新。")).to_be_visible()
    shot(page, "unit-head-approved")
    item = ArticlePage.objects.get(pk=item.pk)
    assert item.live is True
    assert item.current_workflow_state is None
    approvals = AuditEvent.objects.filter(action="wagtail.workflow.approve", object_id=str(item.pk)).order_by(
        "seq"
    )
    assert list(approvals.values_list("actor_username", flat=True)) == ["reviewer_a", "unithead_a"]

    # 5. The published page and the attachment hold only the masked number.
    citizen = new_context(browser).new_page()
    public_url = f"{base}/s/{site_a.code}/{f.public_url(item)}"
    response = citizen.goto(public_url)
    assert response is not None
    assert response.status == 200
    expect(citizen.get_by_role("heading", name=TITLE)).to_be_visible()
    assert FULL_ID not in citizen.content()
    shot(citizen, "citizen-published-page", full_page=True)
    served = citizen.request.get(base + document.url)
    assert served.status == 200
    data = served.body()
    assert FULL_ID.encode() not in data
    sheet = load_workbook(io.BytesIO(data))["资助名单"]
    assert [cell.value for cell in sheet[2]] == ["1", "张三", MASKED_ID, "2000"]
    citizen.context.close()


def test_a_site_admin_sets_a_columns_review_steps(live_server: LiveServer, personas: Any, page: Page) -> None:
    base = live_server.url
    column = f.column(
        personas.site_a, "政策文件", responsible_unit=personas.unit_a, slug="zcwj", column_class="policy"
    )
    login(page, base, personas.site_admin_a.username)
    page.get_by_role("link", name="审核流程设置").click()
    expect(page.get_by_role("heading", name="审核流程设置")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("全站"))).to_contain_text(
        "信息员提交 → 本站审核人（科室审核）（保密审查） → 栏目责任单位负责人"
    )
    page.get_by_label("适用范围").select_option(label="栏目：政策文件")
    page.get_by_label("第 2 步审批人").select_option(label="本站站点管理员")
    page.get_by_label("第 3 步审批人").select_option(label="栏目责任单位负责人")
    shot(page, "site-admin-workflow-form", full_page=True)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("审核流程已保存")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("栏目：政策文件"))).to_contain_text(
        "信息员提交 → 本站审核人（科室审核）（保密审查） → 本站站点管理员 → 栏目责任单位负责人"
    )
    shot(page, "site-admin-workflow-saved", full_page=True)
    workflow = column.get_workflow()
    assert [t.approver for t in workflow.tasks.specific()] == ["reviewer", "site_admin", "unit_head"]
    assert (
        AuditEvent.objects.filter(action="review.configure_workflow", actor_username="siteadmin_a").count()
        == 1
    )
