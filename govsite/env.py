"""The one strict reader of server facts from the environment (HOUSE_RULES §6).

Every variable govsite understands is declared in ``KNOWN``; an unknown ``GOVSITE_*`` variable or a
malformed value stops the process with a message that names the variable, instead of being ignored.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


class EnvError(ImproperlyConfigured):
    """A server setting in the environment is missing or malformed."""


KNOWN: dict[str, str] = {
    "DATABASE_URL": "数据库地址，如 postgres://postgres@127.0.0.1:5432/govsite；缺省为数据目录下的 SQLite",
    "REDIS_URL": "Redis 地址，如 redis://127.0.0.1:6379/0；设置后缓存与任务队列使用 Redis",
    "GOVSITE_DATA_DIR": "数据目录（SQLite 数据库、上传文件、发布目录、密钥），缺省为当前目录下的 var/",
    "GOVSITE_PUBLISH_ROOT": "静态发布目录（各网站的发布版本与 current 链接），缺省为数据目录下的 public/",
    "GOVSITE_VERIFY_MINUTES": "内置服务器校验发布文件是否被篡改的间隔（分钟），0 为不校验，缺省 60",
    "GOVSITE_PUBLISH_KEEP": "每个网站保留的发布版本数，缺省 5",
    "GOVSITE_SECRET_KEY": "Django 密钥；缺省时在数据目录生成并保存",
    "GOVSITE_DEBUG": "调试模式 true/false，缺省 false",
    "GOVSITE_ALLOWED_HOSTS": "允许的主机名，逗号分隔；缺省 127.0.0.1,localhost,.localhost,.gov.cn",
    "GOVSITE_TASKS": "后台任务后端：db（缺省，数据库队列）、rq（需 REDIS_URL）、immediate（立即执行）",
    "GOVSITE_ADMIN_URL": "后台路径，缺省 admin/",
    "GOVSITE_BASE_URL": "后台对外地址，用于邮件与通知中的链接，缺省 http://127.0.0.1:8000",
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Env:
    """A snapshot of the environment with typed accessors that fail loudly."""

    values: Mapping[str, str]

    @classmethod
    def from_os(cls) -> Env:
        env = cls(dict(os.environ))
        env.check_unknown()
        return env

    def check_unknown(self) -> None:
        unknown = sorted(k for k in self.values if k.startswith("GOVSITE_") and k not in KNOWN)
        if unknown:
            raise EnvError(f"未知的环境变量 {', '.join(unknown)}；govsite 只识别：{', '.join(sorted(KNOWN))}")

    def text(self, name: str, default: str) -> str:
        self._declared(name)
        return self.values.get(name, default).strip() or default

    def optional(self, name: str) -> str | None:
        self._declared(name)
        value = self.values.get(name, "").strip()
        return value or None

    def flag(self, name: str, default: bool) -> bool:
        self._declared(name)
        raw = self.values.get(name)
        if raw is None:
            return default
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise EnvError(f"环境变量 {name}={raw!r} 不是布尔值（可用 true/false/1/0）")

    def integer(self, name: str, default: int, *, minimum: int = 0) -> int:
        value = self.text(name, str(default))
        if not re.fullmatch(r"\d+", value) or int(value) < minimum:
            raise EnvError(f"环境变量 {name}={value!r} 应为不小于 {minimum} 的整数")
        return int(value)

    def items(self, name: str, default: list[str]) -> list[str]:
        self._declared(name)
        raw = self.values.get(name)
        if raw is None:
            return list(default)
        return [item.strip() for item in raw.split(",") if item.strip()]

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.text(name, default)
        if value not in choices:
            raise EnvError(f"环境变量 {name}={value!r} 无效，可选值：{', '.join(choices)}")
        return value

    def url(self, name: str, schemes: tuple[str, ...]) -> str | None:
        value = self.optional(name)
        if value is None:
            return None
        scheme = value.split(":", 1)[0].lower()
        if not re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme) or scheme not in schemes or "://" not in value:
            raise EnvError(
                f"环境变量 {name} 的地址格式无效，应以 {' 或 '.join(s + '://' for s in schemes)} 开头"
            )
        return value

    def path(self, name: str, default: Path) -> Path:
        raw = self.optional(name)
        path = Path(raw).expanduser() if raw else default
        return path.resolve()

    def _declared(self, name: str) -> None:
        if name not in KNOWN:  # a programming error, not a user one
            raise KeyError(f"{name} is not declared in govsite.env.KNOWN")


def persistent_secret_key(data_dir: Path) -> str:
    """Read the secret key kept in the data directory, creating it (mode 0600) on first use."""
    key_file = data_dir / "secret_key"
    if key_file.exists():
        key = key_file.read_text(encoding="ascii").strip()
        if len(key) < 50:
            raise EnvError(f"{key_file} 中的密钥过短（少于 50 个字符），请删除该文件以重新生成")
        return key
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key
