"""nginx server blocks: exact output for one site, input validation, ``nginx -t`` when nginx is installed,
and the command reading the sites from the database."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from govsite.publishing.nginx import NginxSite, nginx_config, server_block
from govsite.publishing.releases import ReleaseStore

SITE = NginxSite(code="portal", domain="www.example.gov.cn", extra_domains=("example.gov.cn",))

EXPECTED = r"""
# 站点 portal：由 govsite publish nginx-config 生成，请勿手工修改
server {
    listen 80;
    server_name www.example.gov.cn example.gov.cn;
    root /srv/govsite/public/portal/current;
    index index.html;
    charset utf-8;
    server_tokens off;
    # 发布版本中未改动的目录是指向旧版本的符号链接
    disable_symlinks off;
    gzip_static on;
    add_header X-Content-Type-Options "nosniff" always;
    add_header X-Frame-Options "SAMEORIGIN" always;
    add_header Referrer-Policy "strict-origin-when-cross-origin" always;

    error_page 404 /404.html;

    # 后台只在内网主机上提供，公众域名一律不可访问
    location ^~ /manage/ {
        return 404;
    }

    # 隐藏文件（.well-known 除外）
    location ~ /\.(?!well-known/) {
        return 404;
    }

    # 静态资源与图片：长期缓存
    location ^~ /static/ {
        expires 30d;
        add_header Cache-Control "public, immutable";
        add_header X-Content-Type-Options "nosniff" always;
        add_header X-Frame-Options "SAMEORIGIN" always;
        add_header Referrer-Policy "strict-origin-when-cross-origin" always;
        try_files $uri =404;
    }

    location ~* \.(?:png|jpe?g|gif|webp|avif|svg|ico|woff2?|ttf|otf)$ {
        expires 30d;
        add_header Cache-Control "public, immutable";
        add_header X-Content-Type-Options "nosniff" always;
        add_header X-Frame-Options "SAMEORIGIN" always;
        add_header Referrer-Policy "strict-origin-when-cross-origin" always;
        try_files $uri =404;
    }

    # 页面：短缓存，发布后很快可见
    location / {
        expires 5m;
        try_files $uri $uri/index.html =404;
    }

    location ^~ /search/ {
        proxy_pass http://127.0.0.1:8000;
        client_max_body_size 20m;
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Forwarded-Host $host;
        expires off;
    }
}
"""[1:]


def test_server_block_for_one_site() -> None:
    text = server_block(
        SITE, root=Path("/srv/govsite/public"), admin_prefix="/manage/", dynamic_prefixes=("/search/",)
    )
    assert text == EXPECTED


def test_default_dynamic_endpoints_are_proxied_and_nothing_else() -> None:
    text = server_block(SITE, root=Path("/srv/govsite/public"))
    proxied = [
        line.split()[2]
        for line in text.splitlines()
        if line.strip().startswith("location ^~ /")
        and "proxy_pass" in text.split(line, 1)[1].split("}", 1)[0]
    ]
    assert proxied == ["/search/", "/interact/", "/disclosure/", "/api/", "/documents/", "/media/"]
    assert text.count("proxy_pass http://127.0.0.1:8000;") == 6
    assert "location ^~ /admin/ {\n        return 404;\n    }" in text


def test_several_sites_are_separated_by_a_blank_line() -> None:
    other = NginxSite(code="jyj", domain="jyj.example.gov.cn")
    text = nginx_config([SITE, other], root=Path("/srv/govsite/public"))
    blocks = text.split("\n\n# 站点 ")
    assert len(blocks) == 2
    assert "root /srv/govsite/public/jyj/current;" in blocks[1]
    assert "server_name jyj.example.gov.cn;" in blocks[1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"site": NginxSite("portal", "www.example.gov.cn; include /etc/passwd")},
            "域名不合法，不能写入 nginx 配置：'www.example.gov.cn; include /etc/passwd'",
        ),
        (
            {"site": NginxSite("portal", "x.gov.cn", ("bad domain",))},
            "域名不合法，不能写入 nginx 配置：'bad domain'",
        ),
        (
            {"root": Path("relative/public")},
            "发布目录应为绝对路径且不含空白、引号、分号或花括号：relative/public/portal/current",
        ),
        (
            {"root": Path("/srv/my public")},
            "发布目录应为绝对路径且不含空白、引号、分号或花括号：/srv/my public/portal/current",
        ),
        ({"admin_prefix": "admin"}, "后台路径应以 / 开头并以 / 结尾，只含字母、数字和 ._~-：'admin'"),
        (
            {"dynamic_prefixes": ["/search/", "/x;y/"]},
            "动态接口路径应以 / 开头并以 / 结尾，只含字母、数字和 ._~-：'/x;y/'",
        ),
        ({"dynamic_prefixes": ["/admin/"]}, "后台路径 /admin/ 不能作为公众网站的动态接口"),
        ({"upstream": "http://127.0.0.1:8000; evil"}, "上游地址不合法：'http://127.0.0.1:8000; evil'"),
    ],
)
def test_unsafe_input_is_refused(kwargs: dict, message: str) -> None:
    arguments = {"site": SITE, "root": Path("/srv/govsite/public"), **kwargs}
    site = arguments.pop("site")
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        server_block(site, **arguments)


# NGINX_BINARY may name an nginx binary that is not on PATH (e.g. unpacked from the Debian package).
NGINX = (
    os.environ.get("NGINX_BINARY")
    or shutil.which("nginx")
    or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
)


@pytest.mark.skipif(NGINX is None, reason="nginx 未安装（Debian 软件包 nginx）")
def test_nginx_accepts_the_generated_configuration(tmp_path: Path) -> None:
    assert NGINX is not None
    (tmp_path / "public" / "portal").mkdir(parents=True)
    servers = nginx_config([SITE], root=tmp_path / "public", listen="127.0.0.1:18080")
    config = _nginx_conf(tmp_path, servers)
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(config)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr


def _nginx_conf(tmp_path: Path, servers: str) -> Path:
    config = tmp_path / "nginx.conf"
    # The master runs as the test's user; as root its workers must not drop to nobody (tmp_path is private).
    user = "user root;\n" if os.geteuid() == 0 else ""
    config.write_text(
        f"{user}pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\n"
        "events {}\n"
        "http {\n"
        "    access_log off;\n"
        f"    client_body_temp_path {tmp_path}/body;\n"
        f"    proxy_temp_path {tmp_path}/proxy;\n"
        f"    fastcgi_temp_path {tmp_path}/fastcgi;\n"
        f"    uwsgi_temp_path {tmp_path}/uwsgi;\n"
        f"    scgi_temp_path {tmp_path}/scgi;\n"
        f"{servers}"
        "}\n"
    )
    return config


@pytest.mark.skipif(NGINX is None, reason="nginx 未安装（Debian 软件包 nginx）")
def test_nginx_serves_shared_directories_gzip_siblings_and_hides_the_admin(tmp_path: Path) -> None:
    assert NGINX is not None
    store = ReleaseStore(tmp_path / "public", "portal")
    for files in (
        {"index.html": b"<p>v1</p>", "news/2026/1.html": b"<p>article</p>"},
        {"index.html": b"<p>v2</p>"},
    ):
        with store.begin() as builder:
            for path, data in files.items():
                builder.put(path, data)
            builder.commit(full=False)
    assert (store.current_link / "news").is_symlink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    site = NginxSite(code="portal", domain="www.example.gov.cn")
    config = _nginx_conf(tmp_path, nginx_config([site], root=tmp_path / "public", listen=f"127.0.0.1:{port}"))
    server = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(config), "-g", "daemon off;"])
    try:
        for _ in range(100):
            with socket.socket() as client:
                if client.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)

        def get(path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", headers={"Host": site.domain, **headers}
            )
            try:
                # S310 is about file: and custom schemes; this URL is always http://127.0.0.1.
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    return response.status, dict(response.headers), response.read()
            except urllib.error.HTTPError as error:
                return error.code, dict(error.headers), error.read()

        status, headers, body = get("/news/2026/1.html")
        assert (status, body) == (200, b"<p>article</p>")
        assert headers["Cache-Control"] == "max-age=300"
        status, headers, body = get("/", **{"Accept-Encoding": "gzip"})
        assert (status, headers["Content-Encoding"], gzip.decompress(body)) == (200, "gzip", b"<p>v2</p>")
        assert get("/admin/")[0] == 404
        assert get("/releases/")[0] == 404
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_command_prints_a_block_per_site(
    personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "public"
    with override_settings(ADMIN_URL="manage/"):
        call_command("publish", "nginx-config", "--root", str(root))
    out = capsys.readouterr().out
    assert out == nginx_config(
        [
            NginxSite("sitea", personas.site_a.primary_domain),
            NginxSite("siteb", personas.site_b.primary_domain),
        ],
        root=root,
        admin_prefix="/manage/",
    )

    call_command(
        "publish",
        "nginx-config",
        "--site",
        "siteb",
        "--root",
        str(root),
        "--dynamic",
        "/search/",
        "--upstream",
        "http://10.0.0.5:8000",
    )
    out = capsys.readouterr().out
    assert out.startswith("# 站点 siteb：")
    assert out.count("proxy_pass http://10.0.0.5:8000;") == 1
    assert f"server_name {personas.site_b.primary_domain};" in out

    with pytest.raises(CommandError, match=r"^上游地址不合法：'ftp://x'$"):
        call_command("publish", "nginx-config", "--root", str(root), "--upstream", "ftp://x")


def test_default_root_is_under_the_data_directory(
    personas, settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.PUBLISH_ROOT = tmp_path / "elsewhere"
    call_command("publish", "nginx-config", "--site", "sitea")
    assert f"root {tmp_path / 'elsewhere' / 'sitea' / 'current'};" in capsys.readouterr().out
    del settings.PUBLISH_ROOT
    settings.DATA_DIR = tmp_path
    call_command("publish", "nginx-config", "--site", "sitea")
    assert f"root {tmp_path / 'public' / 'sitea' / 'current'};" in capsys.readouterr().out
