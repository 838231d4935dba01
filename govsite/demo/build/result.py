"""What ``build_demo`` reports while it runs (``Reporter``) and returns (``DemoResult``: sites, logins and
counts of what it created)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from govsite.accounts.models import Role
from govsite.demo.build.world import ACCOUNTS, DEMO_PASSWORD, SITES
from govsite.sites.models import GovSite


class Reporter(Protocol):
    """Where build_demo tells what it is doing; the command draws it with rich."""

    def stage(self, text: str) -> None: ...

    def start_articles(self, total: int) -> None: ...

    def advance(self, step: int) -> None: ...


class SilentReporter:
    def stage(self, text: str) -> None:
        return None

    def start_articles(self, total: int) -> None:
        return None

    def advance(self, step: int) -> None:
        return None


@dataclass(frozen=True)
class SiteLink:
    code: str
    name: str
    kind: str
    url: str
    is_default: bool


@dataclass(frozen=True)
class Login:
    username: str
    full_name: str
    role: str
    site: str
    password: str


@dataclass
class DemoResult:
    seed: int
    anchor: date
    base_url: str
    admin_url: str
    created: dict[str, int] = field(default_factory=dict)
    # The named policy-lifecycle pages, by kind (labels in ITEM_LABELS).
    created_items: dict[str, int] = field(default_factory=dict)
    sites: list[SiteLink] = field(default_factory=list)
    logins: list[Login] = field(default_factory=list)

    @property
    def created_anything(self) -> bool:
        return any(self.created.values()) or any(self.created_items.values())


def site_url(base: str, site: GovSite) -> str:
    return f"{base}/s/{site.code}/"


def logins() -> list[Login]:
    names = {s.code: s.name for s in SITES}
    return [
        Login(
            a.username,
            a.full_name,
            str(Role.Kind(a.role).label),
            names.get(a.site or "", "全平台"),
            DEMO_PASSWORD,
        )
        for a in ACCOUNTS
    ]
