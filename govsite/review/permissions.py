"""Who may do what in review, from the roles a user holds (``accounts.roles.held_roles``, read once per
user object):

- see the findings of a page and fix them with one click: the site's 审核人 and 站点管理员, and the
  信息员 and 单位负责人 of the unit responsible for the page's column;
- dismiss a finding (adding a site exception): the site's 审核人 and the column's 单位负责人;
- override critical findings with a reason: the column's 单位负责人 only;
- approve a step: the holders of the role the step names (``ReviewTask.approver``);
- configure a site's or column's workflow: the site's 站点管理员.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from govsite.accounts.models import Role
from govsite.accounts.roles import HeldRole, held_roles
from govsite.review.models import Approver

if TYPE_CHECKING:
    from govsite.review.models import ReviewTask
    from govsite.review.queries import PageScope

Kind = Role.Kind


def _roles(user: Any) -> frozenset[HeldRole]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return held_roles(user)


def _holds_site(user: Any, kinds: set[str], site_id: int | None) -> bool:
    return site_id is not None and any(kind in kinds and site == site_id for kind, site, _ in _roles(user))


def _holds_unit(user: Any, kinds: set[str], unit_id: int | None) -> bool:
    return unit_id is not None and any(kind in kinds and unit == unit_id for kind, _, unit in _roles(user))


def can_view_findings(user: Any, scope: PageScope) -> bool:
    return _holds_site(user, {Kind.REVIEWER, Kind.SITE_ADMIN}, scope.site_id) or _holds_unit(
        user, {Kind.EDITOR, Kind.UNIT_HEAD}, scope.unit_id
    )


def can_fix(user: Any, scope: PageScope) -> bool:
    return can_view_findings(user, scope)


def can_dismiss(user: Any, scope: PageScope) -> bool:
    return _holds_site(user, {Kind.REVIEWER}, scope.site_id) or _holds_unit(
        user, {Kind.UNIT_HEAD}, scope.unit_id
    )


def can_override(user: Any, scope: PageScope) -> bool:
    return _holds_unit(user, {Kind.UNIT_HEAD}, scope.unit_id)


def can_approve(user: Any, task: ReviewTask, scope: PageScope) -> bool:
    if scope.site_id != task.site_id:
        return False
    if task.approver == Approver.REVIEWER:
        return _holds_site(user, {Kind.REVIEWER}, task.site_id)
    if task.approver == Approver.SITE_ADMIN:
        return _holds_site(user, {Kind.SITE_ADMIN}, task.site_id)
    if task.approver == Approver.UNIT_HEAD:
        return _holds_unit(user, {Kind.UNIT_HEAD}, scope.unit_id)
    return False


def can_configure(user: Any, site_id: int) -> bool:
    return _holds_site(user, {Kind.SITE_ADMIN}, site_id)


def configurable_site_ids(user: Any) -> set[int]:
    return {site for kind, site, _ in _roles(user) if kind == Kind.SITE_ADMIN and site is not None}


def unit_head_unit_ids(user: Any) -> set[int]:
    return {unit for kind, _, unit in _roles(user) if kind == Kind.UNIT_HEAD and unit is not None}
