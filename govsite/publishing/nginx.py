"""nginx configuration for the published sites: one ``server {}`` block per site.

The static tree is served straight from ``<root>/<site>/current`` (a symlink to the live release, whose
unchanged directories are symlinks into older releases, so ``disable_symlinks`` stays off), with the
pre-compressed ``.gz`` files written at publish time (``gzip_static``). Assets are cached for 30 days as
immutable, pages for 5 minutes so a publish shows up quickly. Only the dynamic endpoints are proxied to the
application (uploads up to ``max_body``, 20 MB by default, for letters with attachments); the back office
prefix answers 404 on the public host (it lives on an internal host).

Input is plain data (:class:`NginxSite`), not database rows, so the output is testable byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

# The app's endpoints, plus what it serves beside the release tree: attachments (/documents/, through
# Wagtail's view, which applies collection privacy) and uploaded pictures (/media/), as in embedded mode.
DEFAULT_DYNAMIC_PREFIXES = ("/search/", "/interact/", "/disclosure/", "/api/", "/documents/", "/media/")
DEFAULT_UPSTREAM = "http://127.0.0.1:8000"
ASSET_EXTENSIONS = ("png", "jpe?g", "gif", "webp", "avif", "svg", "ico", "woff2?", "ttf", "otf")
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)
PROXY_HEADERS = (
    ("Host", "$host"),
    ("X-Real-IP", "$remote_addr"),
    ("X-Forwarded-For", "$proxy_add_x_forwarded_for"),
    ("X-Forwarded-Proto", "$scheme"),
    ("X-Forwarded-Host", "$host"),
)
_DOMAIN_RE = re.compile(
    r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$"
)
_PREFIX_RE = re.compile(r"^/[A-Za-z0-9._~/-]*/$")
_UPSTREAM_RE = re.compile(r"^https?://[A-Za-z0-9.\[\]:-]+(?::\d+)?$")
_UNSAFE_PATH_CHARS = re.compile(r"[\s;{}\"'\\$#]")


@dataclass(frozen=True)
class NginxSite:
    """What nginx needs to know about one site."""

    code: str
    domain: str
    extra_domains: tuple[str, ...] = ()


def _check_domain(domain: str) -> str:
    if not _DOMAIN_RE.match(domain):
        raise ValueError(f"域名不合法，不能写入 nginx 配置：{domain!r}")
    return domain


def _check_prefix(prefix: str, what: str) -> str:
    if not _PREFIX_RE.match(prefix):
        raise ValueError(f"{what}应以 / 开头并以 / 结尾，只含字母、数字和 ._~-：{prefix!r}")
    return prefix


def _headers(indent: str, always: bool = True) -> list[str]:
    suffix = " always" if always else ""
    return [f'{indent}add_header {name} "{value}"{suffix};' for name, value in SECURITY_HEADERS]


def server_block(
    site: NginxSite,
    *,
    root: Path,
    admin_prefix: str = "/admin/",
    dynamic_prefixes: Sequence[str] = DEFAULT_DYNAMIC_PREFIXES,
    upstream: str = DEFAULT_UPSTREAM,
    listen: str = "80",
    max_body: str = "20m",
) -> str:
    """One nginx ``server {}`` block serving ``<root>/<site.code>/current``."""
    domains = [_check_domain(site.domain), *(_check_domain(d) for d in site.extra_domains)]
    site_root = Path(root) / site.code / "current"
    if not site_root.is_absolute() or _UNSAFE_PATH_CHARS.search(str(site_root)):
        raise ValueError(f"发布目录应为绝对路径且不含空白、引号、分号或花括号：{site_root}")
    if not _UPSTREAM_RE.match(upstream):
        raise ValueError(f"上游地址不合法：{upstream!r}")
    if not re.fullmatch(r"\d+[kmg]?", max_body):
        raise ValueError(f"上传大小上限不合法：{max_body!r}")
    if not re.fullmatch(r"[\w.:\[\] ]+", listen):
        raise ValueError(f"listen 参数不合法：{listen!r}")
    admin_prefix = _check_prefix(admin_prefix, "后台路径")
    prefixes = [_check_prefix(p, "动态接口路径") for p in dynamic_prefixes]
    if admin_prefix in prefixes:
        raise ValueError(f"后台路径 {admin_prefix} 不能作为公众网站的动态接口")

    i1, i2 = " " * 4, " " * 8
    lines = [
        f"# 站点 {site.code}：由 govsite publish nginx-config 生成，请勿手工修改",
        "server {",
        f"{i1}listen {listen};",
        f"{i1}server_name {' '.join(domains)};",
        f"{i1}root {site_root};",
        f"{i1}index index.html;",
        f"{i1}charset utf-8;",
        f"{i1}server_tokens off;",
        f"{i1}# 发布版本中未改动的目录是指向旧版本的符号链接",
        f"{i1}disable_symlinks off;",
        f"{i1}gzip_static on;",
        *_headers(i1),
        "",
        f"{i1}error_page 404 /404.html;",
        "",
        f"{i1}# 后台只在内网主机上提供，公众域名一律不可访问",
        f"{i1}location ^~ {admin_prefix} {{",
        f"{i2}return 404;",
        f"{i1}}}",
        "",
        f"{i1}# 隐藏文件（.well-known 除外）",
        f"{i1}location ~ /\\.(?!well-known/) {{",
        f"{i2}return 404;",
        f"{i1}}}",
        "",
        f"{i1}# 静态资源与图片：长期缓存",
        f"{i1}location ^~ /static/ {{",
        f"{i2}expires 30d;",
        f'{i2}add_header Cache-Control "public, immutable";',
        *_headers(i2),
        f"{i2}try_files $uri =404;",
        f"{i1}}}",
        "",
        f"{i1}location ~* \\.(?:{'|'.join(ASSET_EXTENSIONS)})$ {{",
        f"{i2}expires 30d;",
        f'{i2}add_header Cache-Control "public, immutable";',
        *_headers(i2),
        f"{i2}try_files $uri =404;",
        f"{i1}}}",
        "",
        f"{i1}# 页面：短缓存，发布后很快可见",
        f"{i1}location / {{",
        f"{i2}expires 5m;",
        f"{i2}try_files $uri $uri/index.html =404;",
        f"{i1}}}",
    ]
    for prefix in prefixes:
        lines += [
            "",
            f"{i1}location ^~ {prefix} {{",
            f"{i2}proxy_pass {upstream};",
            f"{i2}client_max_body_size {max_body};",
            *(f"{i2}proxy_set_header {name} {value};" for name, value in PROXY_HEADERS),
            f"{i2}expires off;",
            f"{i1}}}",
        ]
    lines.append("}")
    return "\n".join(lines) + "\n"


def nginx_config(
    sites: Iterable[NginxSite],
    *,
    root: Path,
    admin_prefix: str = "/admin/",
    dynamic_prefixes: Sequence[str] = DEFAULT_DYNAMIC_PREFIXES,
    upstream: str = DEFAULT_UPSTREAM,
    listen: str = "80",
) -> str:
    """Server blocks for every site, separated by a blank line (to be included in ``http {}``)."""
    return "\n".join(
        server_block(
            site,
            root=root,
            admin_prefix=admin_prefix,
            dynamic_prefixes=dynamic_prefixes,
            upstream=upstream,
            listen=listen,
        )
        for site in sites
    )
