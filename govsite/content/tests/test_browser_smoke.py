"""Browser smoke test of the publishing path: an 信息员 writes an article in the Chinese admin, the
审核人 approves it (attesting 保密审查), the 单位负责人 approves and publishes it, and a citizen reads it
on the public site. Screenshots of every step are kept under test-artifacts/<test name>/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from govsite.audit.models import AuditEvent
from govsite.content.models import ArticlePage
from govsite.content.permissions import unit_head_group
from govsite.testing import factories as f

# Until the root conftest registers govsite.testing.browser as a plugin, its fixtures are imported here.
from govsite.testing.browser import admin_url, login, logout, new_context, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTICLE_TITLE = "测试市教育局召开2026年春季开学工作部署会"
ARTICLE_SOURCE = "测试市教育局"
ARTICLE_BODY = "会议要求各校做好开学准备，确保师生安全返校。"
PUBLISHING_ACTIONS = [
    "wagtail.create",
    "wagtail.workflow.start",
    "wagtail.workflow.approve",
    "wagtail.publish",
]


def test_editor_writes_reviewer_publishes_citizen_reads(
    live_server: LiveServer,
    personas,
    browser: Browser,
    page: Page,
) -> None:
    base = live_server.url
    site_a = personas.site_a
    column = f.column(site_a, "政务要闻", responsible_unit=personas.unit_a, info_officer=personas.editor_a)
    workflow_name = f"{site_a.name}审核流程"
    unit_head = f.account(
        "unithead_a",
        unit_obj=personas.unit_a,
        groups=[unit_head_group(personas.unit_a)],
        full_name="甲负责人",
    )

    # 1. The 信息员 meets a Chinese login page and signs in.
    page.goto(admin_url(base, "wagtailadmin_login"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    login(page, base, personas.editor_a.username)
    expect(page.get_by_role("button", name=re.compile("甲信息员"))).to_be_visible()
    shot(page, "editor-dashboard")

    # 2. In the page explorer she opens her column, adds a 文章, and submits it to the workflow.
    page.goto(admin_url(base, "wagtailadmin_explore", column.id))
    expect(page.get_by_role("heading", name="政务要闻")).to_be_visible()
    page.get_by_role("link", name="添加子页面").first.click()
    expect(page.get_by_role("heading", name="创建一个页面，在 政务要闻")).to_be_visible()
    expect(page.get_by_text("选择创建的页面类型")).to_be_visible()
    page.get_by_role("link", name="文章", exact=True).click()
    expect(page).to_have_url(admin_url(base, "wagtailadmin_pages:add", "content", "articlepage", column.id))
    page.locator("#id_title").fill(ARTICLE_TITLE)
    page.locator("#id_source").fill(ARTICLE_SOURCE)
    page.locator("[data-contentpath='body'] .public-DraftEditor-content").click()
    page.keyboard.type(ARTICLE_BODY)
    expect(page.locator("[data-contentpath='body'] .public-DraftEditor-content")).to_have_text(ARTICLE_BODY)
    # Draftail copies its state into the hidden input on a short debounce; submit only after it has.
    expect(page.locator("input[name='body']")).to_have_value(re.compile(re.escape(ARTICLE_BODY)))
    shot(page, "editor-article-form", full_page=True)

    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name=f"提交给{workflow_name}").click()
    expect(page.get_by_text(f"页面 '{ARTICLE_TITLE}' 已创建并提交审核。")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(ARTICLE_TITLE))).to_contain_text("审核中")
    shot(page, "editor-submitted")

    article = ArticlePage.objects.get(title=ARTICLE_TITLE)
    assert article.get_parent().id == column.id
    assert (article.slug, article.source) == (ARTICLE_TITLE, ARTICLE_SOURCE)
    assert re.fullmatch(rf'<p data-block-key="\w+">{re.escape(ARTICLE_BODY)}</p>', article.body)
    assert article.live is False
    assert article.owner == personas.editor_a
    assert article.current_workflow_state.status == "in_progress"
    assert article.current_workflow_state.workflow.name == workflow_name
    citizen = new_context(browser).new_page()
    public_url = f"{base}/s/{site_a.code}/{f.public_url(article)}"
    assert citizen.request.get(public_url).status == 404

    # 3. The 审核人 signs in, finds the article awaiting her review, and approves it.
    logout(page, base)
    login(page, base, personas.reviewer_a.username)
    awaiting = page.locator("section", has=page.get_by_role("heading", name="等待你的审查"))
    expect(awaiting.get_by_role("link", name=ARTICLE_TITLE)).to_be_visible()
    shot(page, "reviewer-dashboard")
    awaiting.get_by_role("link", name=ARTICLE_TITLE).click()
    expect(page).to_have_url(admin_url(base, "wagtailadmin_pages:edit", article.id))
    expect(page.locator("#id_title")).to_have_value(ARTICLE_TITLE)
    page.get_by_role("button", name="更多动作").click()
    # Step 1 (科室审核) asks for the 保密审查 attestation in a dialog.
    page.get_by_role("button", name="批准", exact=True).click()
    dialog = page.locator(".modal-content")
    dialog.get_by_label("经审查不涉密").check()
    shot(page, "reviewer-attests-secrecy")
    dialog.get_by_role("button", name="批准").click()
    # Approving from the edit view reports the save ("已被更新"); the item waits for the next step.
    expect(page.get_by_text(f"页面 '{ARTICLE_TITLE}' 已被更新。")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(ARTICLE_TITLE))).to_contain_text("审核中")
    shot(page, "reviewer-approved")
    article.refresh_from_db()
    assert article.live is False

    # 4. The 单位负责人 of the column's unit approves the last step, which publishes.
    logout(page, base)
    login(page, base, unit_head.username)
    awaiting = page.locator("section", has=page.get_by_role("heading", name="等待你的审查"))
    awaiting.get_by_role("link", name=ARTICLE_TITLE).click()
    expect(page).to_have_url(admin_url(base, "wagtailadmin_pages:edit", article.id))
    page.get_by_role("button", name="更多动作").click()
    # Wagtail names the last task's approval "%(label)s and Publish"; zh_Hans renders it "批准 和发布".
    page.get_by_role("button", name="批准 和发布", exact=True).click()
    expect(page.get_by_text(f"页面 '{ARTICLE_TITLE}' 已被更新。")).to_be_visible()
    shot(page, "unit-head-approved")

    article.refresh_from_db()
    assert article.live is True
    assert article.current_workflow_state is None
    article_events = AuditEvent.objects.filter(
        object_type="content.articlepage",
        object_id=str(article.id),
        action__in=PUBLISHING_ACTIONS,
    ).order_by("seq")
    assert list(article_events.values_list("action", "actor_username")) == [
        ("wagtail.create", "editor_a"),
        ("wagtail.workflow.start", "editor_a"),
        ("wagtail.workflow.approve", "reviewer_a"),
        ("wagtail.workflow.approve", "unithead_a"),
        ("wagtail.publish", "unithead_a"),
    ]
    sessions = AuditEvent.objects.filter(action__startswith="auth.").order_by("seq")
    assert list(sessions.values_list("action", "actor_username")) == [
        ("auth.login", "editor_a"),
        ("auth.logout", "editor_a"),
        ("auth.login", "reviewer_a"),
        ("auth.logout", "reviewer_a"),
        ("auth.login", "unithead_a"),
    ]
    attested = AuditEvent.objects.get(action="review.secrecy_attested", object_id=str(article.id))
    assert (attested.actor_username, attested.detail["attestation"]) == ("reviewer_a", "经审查不涉密")

    # 5. A citizen, with no session at all, finds it from the site's home page through the column.
    response = citizen.goto(f"{base}/s/{site_a.code}/")
    assert response is not None
    assert response.status == 200
    citizen.get_by_role("navigation", name="栏目导航").get_by_role("link", name="政务要闻").click()
    citizen.get_by_role("main").get_by_role("link", name=ARTICLE_TITLE).click()
    expect(citizen).to_have_url(public_url)
    assert citizen.request.get(public_url).status == 200
    expect(citizen).to_have_title(f"{ARTICLE_TITLE}_{site_a.name}")
    expect(citizen.get_by_role("heading", name=ARTICLE_TITLE)).to_be_visible()
    expect(citizen.get_by_text(ARTICLE_BODY)).to_be_visible()
    expect(citizen.get_by_text(f"来源：{ARTICLE_SOURCE}")).to_be_visible()
    shot(citizen, "citizen-public-page", full_page=True)
    citizen.context.close()
