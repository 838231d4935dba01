"""The 资源库 in use: every demo item numbered and placed, and items shared across sites by the real push,
accept, decline and repost actions."""

from __future__ import annotations

from govsite.accounts.models import User
from govsite.content.library import (
    accept_push,
    decline_push,
    push_item,
    register_published_items,
    repost_item,
)
from govsite.content.models import ColumnPage, NoticePage, Placement, PolicyDocumentPage, PushRequest
from govsite.sites.models import GovSite


def ensure_library_links(
    columns: dict[tuple[str, str], ColumnPage],
    sites: dict[str, GovSite],
    accounts: dict[str, User],
    items: dict[str, int],
) -> None:
    """The 资源库 in use: every item numbered and placed, and items shared across sites by real actions.

    The other loaders insert published items straight into the tree, so their 索引号 and owner
    placements are given in bulk here. Then, once: the portal pushes the important 营商环境 measures
    and the call for comments to both counties — 东林 accepts the measures into its 政策文件 and
    declines the call (it has its own) and reposts the 招聘 notice into its 通知公告; 西溪 leaves both
    pushes pending, so the 12-hour 转载提醒 shows it.
    """
    register_published_items(reason="演示数据")
    if PushRequest.objects.exists() or Placement.objects.exclude(kind=Placement.Kind.OWNER).exists():
        return
    portal_policies, portal_notices = columns[("portal", "zcwj")], columns[("portal", "tzgg")]
    measures = PolicyDocumentPage.objects.child_of(portal_policies).get(slug="zc01")
    call = NoticePage.objects.child_of(portal_notices).get(slug="tz01")
    recruitment = NoticePage.objects.child_of(portal_notices).get(slug="tz02")
    counties = [sites["donglin"], sites["xixi"]]
    pushed = push_item(accounts["siteadmin"], measures, counties, note="请于 12 小时内在政策文件栏目转载")
    pushed += push_item(accounts["siteadmin"], call, counties, note="请转发，扩大征求意见范围")
    by_target = {(push.item_id, push.to_site_id): push for push in pushed}
    county_admin = accounts["donglin_admin"]
    accept_push(county_admin, by_target[(measures.pk, sites["donglin"].pk)], columns[("donglin", "zcwj")])
    decline_push(county_admin, by_target[(call.pk, sites["donglin"].pk)], "本县已单独发布征求意见公告")
    repost_item(county_admin, recruitment, columns[("donglin", "tzgg")])
    items["pushes"] += len(pushed)
    items["shared"] += 2
