"""Settings that only show at run time: the Chinese admin, time zone, and the Redis cache (real server)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client


def test_locale_and_time_zone() -> None:
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


@pytest.mark.django_db
def test_admin_login_page_is_chinese() -> None:
    html = Client().get("/admin/login/").content.decode()
    assert "登录" in html
    assert '<html lang="zh-hans"' in html or 'lang="zh-Hans"' in html or "zh-hans" in html


def test_bad_environment_stops_the_command_with_a_chinese_message(tmp_path) -> None:
    env = {**os.environ, "GOVSITE_DATA_DIR": str(tmp_path), "GOVSITE_TASKZ": "db"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "govsite", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "未知的环境变量 GOVSITE_TASKZ" in result.stderr


@pytest.mark.redis
def test_redis_url_gives_a_working_shared_cache(tmp_path) -> None:
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    code = (
        "import django; django.setup();"
        "from django.core.cache import caches; cache = caches['default']; cache.set('govsite-probe', '站群', 30);"
        "print(type(cache).__name__, cache.get('govsite-probe'))"
    )
    env = {
        **os.environ,
        "GOVSITE_DATA_DIR": str(tmp_path),
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "govsite.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "RedisCache 站群"
