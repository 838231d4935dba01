"""The contract every text engine follows, and the registry the review runner and the inspector use.

An engine takes plain text (HTML is turned into text by ``text.html_to_text`` first, keeping offsets
into the text) and a ``CheckContext`` (the date the text speaks from, the site, per-deployment
lists), and returns ``Finding`` rows. Engines are pure: no database access inside ``scan``; whatever
data they need per deployment comes in through the context or is loaded once when the engine is built.
Register an engine with ``@register`` in its own module under ``checks/engines/`` (HOUSE_RULES §12).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Protocol


class Severity(StrEnum):
    """How bad a finding is; the order is the order of the members (critical first)."""

    CRITICAL = "critical"  # blocks approval (P1 full ID, P5 list leak, T1 protected-term near-miss)
    ERROR = "error"  # a certain mistake (T2 error tier, T3 outdated name, T4 spam)
    REVIEW = "review"  # a person should look (T2 confusable pair, P2 single mobile, suspicious ID)
    OK = "ok"  # recognised and compliant (P4 masked forms): reported, never counted as a problem

    @property
    def label(self) -> str:
        return SEVERITY_LABELS[self]

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


SEVERITY_LABELS = {
    Severity.CRITICAL: "严重",
    Severity.ERROR: "错误",
    Severity.REVIEW: "待复核",
    Severity.OK: "合规",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One hit: ``text[start:end] == matched``. ``suggestion`` is the replacement offered for a
    one-click fix ("" when none: a person decides). ``location`` names the place inside an
    attachment ("第 3 页", "Sheet1!B4"); empty for body text."""

    rule: str  # rule ID from inspection-rules.md: "P1", "T2" …
    severity: Severity
    start: int
    end: int
    matched: str
    message: str  # Chinese, says what is wrong and why
    suggestion: str = ""
    engine: str = ""
    location: str = ""
    detail: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "start": self.start,
            "end": self.end,
            "matched": self.matched,
            "suggestion": self.suggestion,
            "message": self.message,
            "engine": self.engine,
            "location": self.location,
            **({"detail": dict(self.detail)} if self.detail else {}),
        }


@dataclass(frozen=True)
class CheckContext:
    """What an engine may know besides the text.

    ``on`` is the date the text speaks from (the item's 发布日期, or today): outdated names and dated
    expressions depend on it. ``extra`` carries per-deployment data (protected terms of the site,
    its own institution names, dismissed findings) keyed by engine name.
    """

    on: date
    site_code: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


class Engine(Protocol):
    name: str  # unique, e.g. "personal_data"
    label: str  # Chinese, e.g. "个人信息"
    rules: tuple[str, ...]  # the rule IDs it reports

    def scan(self, text: str, context: CheckContext) -> list[Finding]: ...


_REGISTRY: dict[str, Callable[[], Engine]] = {}
_BUILT: dict[str, Engine] = {}


def register(factory: Callable[[], Engine]) -> Callable[[], Engine]:
    """Register an engine class (or factory); it is built once, on first use."""
    name = getattr(factory, "name", None) or factory.__name__
    if name in _REGISTRY and _REGISTRY[name] is not factory:
        raise ValueError(f"检查引擎 {name!r} 已注册")
    _REGISTRY[name] = factory
    return factory


def _load_engine_modules() -> None:
    # Importing the package's modules runs their @register decorators (imported late: they import us).
    from govsite.checks.engines import load_all

    load_all()


def engines(names: Iterable[str] | None = None) -> list[Engine]:
    """The registered engines (built once), in registration order, or just those named."""
    _load_engine_modules()
    wanted = list(_REGISTRY) if names is None else list(names)
    unknown = [n for n in wanted if n not in _REGISTRY]
    if unknown:
        raise KeyError(f"未知的检查引擎：{'、'.join(unknown)}")
    for name in wanted:
        if name not in _BUILT:
            _BUILT[name] = _REGISTRY[name]()
    return [_BUILT[name] for name in wanted]


def scan(text: str, context: CheckContext, names: Iterable[str] | None = None) -> list[Finding]:
    """Every registered engine over ``text``; findings in text order, then by severity."""
    found: list[Finding] = []
    for engine in engines(names):
        found.extend(engine.scan(text, context))
    found.sort(key=lambda f: (f.start, f.severity.rank, f.end, f.rule))
    return found
