"""The strict environment reader fails loudly, naming the variable (HOUSE_RULES §6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from govsite.env import Env, EnvError, persistent_secret_key
from govsite.settings import database_config


def test_unknown_govsite_variable_is_an_error() -> None:
    with pytest.raises(EnvError, match="未知的环境变量 GOVSITE_DEBUGG"):
        Env({"GOVSITE_DEBUGG": "1"}).check_unknown()


@pytest.mark.parametrize(("raw", "value"), [("true", True), ("0", False), ("Yes", True), ("off", False)])
def test_booleans(raw: str, value: bool) -> None:
    assert Env({"GOVSITE_DEBUG": raw}).flag("GOVSITE_DEBUG", False) is value


def test_malformed_boolean_names_the_variable() -> None:
    with pytest.raises(EnvError, match=r"GOVSITE_DEBUG='maybe' 不是布尔值"):
        Env({"GOVSITE_DEBUG": "maybe"}).flag("GOVSITE_DEBUG", False)


def test_database_url_scheme_is_checked() -> None:
    with pytest.raises(EnvError, match="DATABASE_URL 的地址格式无效"):
        Env({"DATABASE_URL": "mysql://root@localhost/x"}).url("DATABASE_URL", ("sqlite", "postgres"))


def test_embedded_default_is_sqlite_in_wal_mode_under_the_data_dir(tmp_path: Path) -> None:
    config = database_config(Env({}), tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "govsite.sqlite3")
    assert "PRAGMA journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgres_url_is_used_as_given(tmp_path: Path) -> None:
    config = database_config(Env({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/govsite"}), tmp_path)
    assert (config["ENGINE"], config["NAME"], config["HOST"], config["PORT"]) == (
        "django.db.backends.postgresql",
        "govsite",
        "127.0.0.1",
        5432,
    )


def test_choice_lists_the_allowed_values() -> None:
    with pytest.raises(EnvError, match="可选值：db, immediate"):
        Env({"GOVSITE_TASKS": "celery"}).choice("GOVSITE_TASKS", "db", ("db", "immediate"))


def test_secret_key_is_created_once_with_private_mode(tmp_path: Path) -> None:
    first = persistent_secret_key(tmp_path)
    assert persistent_secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert len(first) >= 50
