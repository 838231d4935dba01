"""A department officer's day in the admin, in a real browser (issue 4's closing note shows these
screenshots, kept under test-artifacts/test_a_department_officers_day/):

1. The 信息员 of 教育局 signs in; the dashboard's 栏目更新责任 panel shows the column she owes, overdue.
2. She writes the item in that column with its 公开目录 metadata; a 发文字号 year after the 成文日期 is
   refused with a Chinese message, nothing is saved; she corrects it and submits it for review.
3. The 审核人 approves (attesting 保密审查) and the 单位负责人 approves last; the publish gives the item
   its 索引号 and records its owner placement.
4. The lower site's 站点管理员 finds it under 转载上级信息 and reposts it into a column of his site: the
   lower site shows the same item (a reference, not a copy), and the delay is recorded.
5. A citizen reads it on the lower site with the 公开目录 metadata block.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from govsite.accounts.models import Role
from govsite.audit.models import AuditEvent
from govsite.content.models import ArticlePage, Placement
from govsite.content.permissions import unit_head_group
from govsite.sites.actions import site_group
from govsite.testing import factories as f
from govsite.testing.browser import admin_url, login, logout, new_context, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "测试市教育局关于做好2026年春季学期开学工作的通知"
BODY = "各区县教育局、市直各学校：现就做好2026年春季学期开学工作通知如下。"


def test_a_department_officers_day(
    live_server: LiveServer, personas: Any, browser: Browser, page: Page
) -> None:
    base = live_server.url
    site_a, site_b = personas.site_a, personas.site_b
    notices = f.column(
        site_a,
        "通知公告",
        responsible_unit=personas.unit_a,
        info_officer=personas.editor_a,
        column_class="notice",
        slug="tzgg",
    )
    news = f.column(site_a, "教育动态", responsible_unit=personas.unit_a, info_officer=personas.editor_a)
    old = f.article(news, "测试市教育局召开学期工作会议")
    ArticlePage.objects.filter(pk=old.pk).update(publish_date=timezone.now() - timedelta(days=30))
    lower_column = f.column(site_b, "上级文件", responsible_unit=personas.unit_b, slug="sjwj")
    unit_head = f.account(
        "unithead_a",
        unit_obj=personas.unit_a,
        groups=[unit_head_group(personas.unit_a)],
        full_name="甲负责人",
    )
    lower_admin = f.account(
        "siteadmin_b",
        unit_obj=personas.unit_b,
        groups=[site_group(site_b, Role.Kind.SITE_ADMIN)],
        full_name="乙站点管理员",
    )

    # 1. Her dashboard lists the columns she owes, the overdue one first.
    login(page, base, personas.editor_a.username)
    panel = page.locator("section", has=page.get_by_role("heading", name="栏目更新责任"))
    expect(panel).to_be_visible()
    rows = panel.locator("tbody tr")
    expect(rows.first).to_contain_text("通知公告")  # never updated: the most urgent
    expect(panel.get_by_role("row", name=re.compile("教育动态"))).to_contain_text("已逾期")
    shot(page, "dashboard-obligations", full_page=True)

    # 2. She writes the notice with its metadata; an inconsistent 发文字号 is refused and nothing saved.
    page.goto(admin_url(base, "wagtailadmin_pages:add", "content", "articlepage", notices.pk))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_source").fill("测试市教育局")
    page.locator("[data-contentpath='body'] .public-DraftEditor-content").click()
    page.keyboard.type(BODY)
    expect(page.locator("input[name='body']")).to_have_value(re.compile(re.escape(BODY)))
    page.locator("#id_publisher").fill("测试市教育局")
    page.locator("#id_document_number").fill("发文字号：测教发[2026]3号")
    page.locator("#id_written_date").fill("2025-12-30")
    page.locator("#id_keywords").click()  # closes the date picker
    page.get_by_role("button", name="保存草稿").click()
    refusal = page.get_by_text("发文字号年份 2026 晚于成文日期（2025-12-30）的年份")
    expect(refusal).to_be_visible()
    assert not ArticlePage.objects.filter(title=TITLE).exists()
    refusal.scroll_into_view_if_needed()
    shot(page, "metadata-refused")

    page.locator("#id_written_date").fill("2026-01-05")
    page.locator("#id_keywords").click()  # closes the date picker
    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name=f"提交给{site_a.name}审核流程").click()
    expect(page.get_by_text(f"页面 '{TITLE}' 已创建并提交审核。")).to_be_visible()
    shot(page, "submitted-for-review")
    item = ArticlePage.objects.get(title=TITLE)
    assert item.document_number == "测教发〔2026〕3号"  # stored in its normalised form
    assert (item.live, item.index_number) == (False, "")

    # 3. The 审核人 approves with the 保密审查 attestation, the 单位负责人 last; publishing numbers the item.
    logout(page, base)
    login(page, base, personas.reviewer_a.username)
    page.goto(admin_url(base, "wagtailadmin_pages:edit", item.pk))
    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name="批准", exact=True).click()
    page.locator(".modal-content").get_by_label("经审查不涉密").check()
    page.locator(".modal-content").get_by_role("button", name="批准").click()
    expect(page.get_by_role("row", name=re.compile(TITLE))).to_contain_text("审核中")
    logout(page, base)
    login(page, base, unit_head.username)
    page.goto(admin_url(base, "wagtailadmin_pages:edit", item.pk))
    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name="批准 和发布", exact=True).click()
    expect(page.get_by_text(f"页面 '{TITLE}' 已被更新。")).to_be_visible()
    item.refresh_from_db()
    assert item.live
    year = timezone.localtime(item.publish_date).year
    assert item.index_number == f"{site_a.site_id_code}/{year}-00002"  # the old news item drew 00001
    assert Placement.objects.filter(page=item, kind=Placement.Kind.OWNER, site=site_a).exists()

    # 4. The lower site's 站点管理员 reposts it from 转载上级信息.
    logout(page, base)
    login(page, base, lower_admin.username)
    page.goto(admin_url(base, "govsite_library:repost"))
    row = page.get_by_role("row", name=re.compile(TITLE))
    expect(row).to_contain_text(item.index_number)
    expect(row).to_contain_text("未转载")
    shot(page, "lower-site-repost-list", full_page=True)
    row.get_by_role("link", name="转载").click()
    page.get_by_label("放入栏目").select_option(str(lower_column.pk))
    shot(page, "lower-site-repost-form")
    page.get_by_role("button", name="转载").click()
    expect(page.get_by_role("row", name=re.compile(TITLE))).to_contain_text("已刊载")
    shot(page, "lower-site-reposted", full_page=True)
    placement = Placement.objects.get(item=item, site=site_b)
    assert (placement.kind, placement.column_id, placement.placed_by) == (
        Placement.Kind.REPOST,
        lower_column.pk,
        lower_admin,
    )
    assert placement.delay is not None
    assert AuditEvent.objects.filter(
        action="content.repost_item", actor_username=lower_admin.username, object_id=str(item.pk)
    ).exists()

    # 5. A citizen reads it on the lower site, with the 公开目录 metadata block.
    citizen = new_context(browser).new_page()
    response = citizen.goto(f"{base}/s/{site_b.code}/{f.public_url(placement.page)}")
    assert response is not None
    assert response.status == 200
    expect(citizen.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(citizen.get_by_text(item.index_number)).to_be_visible()
    expect(citizen.get_by_text("测教发〔2026〕3号")).to_be_visible()
    shot(citizen, "citizen-reads-on-lower-site", full_page=True)
    citizen.context.close()
