"""Site identity is validated on save; bad input gets a Chinese error and nothing is saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Site

from govsite.audit.models import AuditEvent
from govsite.sites.actions import create_site, update_site_identity
from govsite.sites.models import GovSite

pytestmark = pytest.mark.django_db

VALID = {
    "code": "newsite",
    "name": "测试县人民政府",
    "kind": GovSite.Kind.COUNTY,
    "site_id_code": "3501230001",
    "sponsor": "测试县人民政府办公室",
    "icp_number": "闽ICP备05012345号-2",
    "police_number": "闽公网安备 35012302000123号",
    "primary_domain": "www.newsite.gov.cn",
}


def _counts() -> tuple[int, int, int]:
    return GovSite.objects.count(), Site.objects.count(), Page.objects.count()


def test_create_site_builds_home_page_roles_and_workflow(personas) -> None:
    site = create_site(None, parent=personas.site_a, **VALID)
    assert site.wagtail_site.hostname == "www.newsite.gov.cn"
    assert site.root_page.title == "测试县人民政府"
    assert sorted(site.roles.values_list("group__name", flat=True)) == [
        "测试县人民政府·审核人",
        "测试县人民政府·站点管理员",
    ]
    workflow = site.root_page.get_workflow()
    assert workflow.name == "测试县人民政府审核流程"
    assert [(t.name, t.approver, t.secrecy_attestation) for t in workflow.tasks.specific()] == [
        ("测试县人民政府·科室审核（保密审查）", "reviewer", True),
        ("测试县人民政府·单位负责人审批", "unit_head", False),
    ]
    assert site.police_record_code == "35012302000123"
    assert AuditEvent.objects.filter(action="sites.create_site", object_id=str(site.pk)).count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "site_id_code",
            "350123000",
            "网站标识码格式不正确：应为 10 位数字（6 位行政区划代码 + 4 位序号），国务院部门为 bm 加 8 位数字",
        ),
        (
            "site_id_code",
            "35012300a1",
            "网站标识码格式不正确：应为 10 位数字（6 位行政区划代码 + 4 位序号），国务院部门为 bm 加 8 位数字",
        ),
        (
            "primary_domain",
            "www.newsite.com",
            "政府网站主域名须以 .gov.cn 或 .政务 结尾（国办函〔2018〕55号）",
        ),
        (
            "primary_domain",
            "http://www.newsite.gov.cn/",
            "主域名只填写主机名，不含 http://、端口或路径，如 www.example.gov.cn",
        ),
        (
            "icp_number",
            "ICP05012345",
            "ICP备案号格式不正确，应形如“京ICP备05070218号”或“京ICP备05070218号-1”",
        ),
        (
            "police_number",
            "闽公网安备123号",
            "公安机关备案号格式不正确，应形如“京公网安备11010202000001号”（14 位数字）",
        ),
    ],
)
def test_invalid_identity_is_refused_and_nothing_saved(
    personas, field: str, value: str, message: str
) -> None:
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        create_site(None, parent=personas.site_a, **{**VALID, field: value})
    assert exc.value.message_dict[field] == [message]
    assert _counts() == before


def test_ministry_site_id_code_is_accepted(personas) -> None:
    site = create_site(None, parent=personas.site_a, **{**VALID, "site_id_code": "bm55000001"})
    assert site.site_id_code == "bm55000001"


def test_second_site_with_the_same_domain_is_refused(personas) -> None:
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        create_site(None, parent=personas.site_a, **{**VALID, "primary_domain": "WWW.SiteA.gov.cn"})
    assert exc.value.message_dict["primary_domain"] == ["主域名 www.sitea.gov.cn 已被网站“测试网站sitea”使用"]
    assert _counts() == before


def test_second_site_with_the_same_site_id_code_is_refused(personas) -> None:
    with pytest.raises(ValidationError) as exc:
        create_site(None, parent=personas.site_a, **{**VALID, "site_id_code": personas.site_b.site_id_code})
    assert exc.value.message_dict["site_id_code"] == ["网站标识码已被其他网站使用"]


def test_non_portal_needs_a_parent(personas) -> None:
    with pytest.raises(ValidationError) as exc:
        create_site(None, **VALID)
    assert exc.value.message_dict["parent"] == ["除政府门户网站外，每个网站都要指定上级网站"]


def test_only_system_admin_manages_sites(personas) -> None:
    before = _counts()
    with pytest.raises(PermissionDenied, match="只有系统管理员可以管理网站"):
        create_site(personas.security_admin, parent=personas.site_a, **VALID)
    assert _counts() == before
    site = create_site(personas.system_admin, parent=personas.site_a, **VALID)
    assert site.pk is not None


def test_update_identity_validates_the_whole_change(personas) -> None:
    site = personas.site_b
    with pytest.raises(ValidationError):
        update_site_identity(personas.system_admin, site, name="新名称", site_id_code="bad")
    site.refresh_from_db()
    assert site.name == "测试网站siteb"
    updated = update_site_identity(
        personas.system_admin, site, name="新名称", primary_domain="www.newname.gov.cn"
    )
    assert updated.wagtail_site.hostname == "www.newname.gov.cn"
    row = AuditEvent.objects.get(action="sites.update_identity")
    assert row.detail["before"] == {"name": "测试网站siteb", "primary_domain": "www.siteb.gov.cn"}


def test_site_create_command_reports_every_error_in_chinese(personas) -> None:
    with pytest.raises(CommandError) as exc:
        call_command(
            "site",
            "create",
            "dup",
            "--name",
            "重复",
            "--kind",
            "county",
            "--parent",
            "sitea",
            "--site-id-code",
            "12",
            "--sponsor",
            "某单位",
            "--icp",
            "闽ICP备05012345号",
            "--police",
            "闽公网安备35010202000001号",
            "--domain",
            "www.sitea.gov.cn",
        )
    assert str(exc.value).splitlines() == [
        "网站未创建：",
        "网站标识码格式不正确：应为 10 位数字（6 位行政区划代码 + 4 位序号），国务院部门为 bm 加 8 位数字",
        "主域名 www.sitea.gov.cn 已被网站“测试网站sitea”使用",
    ]
