"""Django settings for govsite. Server facts come from the environment through ``govsite.env``;
per-site policy lives in the database (HOUSE_RULES §6)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url

from govsite.env import Env, EnvError, persistent_secret_key

ENV = Env.from_os()

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = ENV.path("GOVSITE_DATA_DIR", Path.cwd() / "var")

DEBUG = ENV.flag("GOVSITE_DEBUG", False)
SECRET_KEY = ENV.optional("GOVSITE_SECRET_KEY") or persistent_secret_key(DATA_DIR)
ALLOWED_HOSTS = ENV.items("GOVSITE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", ".localhost", ".gov.cn"])
ADMIN_URL = ENV.text("GOVSITE_ADMIN_URL", "admin/").strip("/") + "/"

INSTALLED_APPS = [
    # govsite apps come first so their templates override Wagtail's.
    "govsite.core",
    "govsite.accounts",
    "govsite.audit",
    "govsite.sites",
    "govsite.content",
    "govsite.checks",
    "govsite.review",
    "govsite.publishing",
    "govsite.demo",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "govsite.accounts.wagtail_apps.GovUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "govsite.sites.middleware.SitePrefixMiddleware",
    "govsite.publishing.serve.PublishedSiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "govsite.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "govsite.urls"
WSGI_APPLICATION = "govsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]


def database_config(env: Env, data_dir: Path) -> dict[str, Any]:
    """SQLite in WAL mode under the data directory unless DATABASE_URL names another database."""
    url = env.url("DATABASE_URL", ("sqlite", "postgres", "postgresql"))
    if url is None:
        data_dir.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{data_dir / 'govsite.sqlite3'}"
    config: dict[str, Any] = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # WAL lets readers and the one writer work at once; IMMEDIATE makes a write transaction
            # take the write lock at BEGIN, so two writers queue instead of failing mid-transaction.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_HEALTH_CHECKS"] = True
    else:  # pragma: no cover - guarded by env.url
        raise EnvError(f"不支持的数据库：{config['ENGINE']}")
    return config


DATABASES = {"default": database_config(ENV, DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = ENV.url("REDIS_URL", ("redis", "rediss"))
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

_tasks_backend = ENV.choice("GOVSITE_TASKS", "db", ("db", "rq", "immediate"))
if _tasks_backend == "rq":
    raise EnvError("GOVSITE_TASKS=rq 尚未支持：RQ 后端将随分布式部署一同提供，请使用 db")
TASKS = {
    "default": {
        "BACKEND": {
            "db": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[_tasks_backend]
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "govsite.accounts.passwords.StrongPasswordValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "govsite.accounts.passwords.NotContainingUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

SESSION_COOKIE_AGE = 12 * 60 * 60  # DB-02: absolute lifetime ≤ 12 h
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOCALE_PATHS = [BASE_DIR / "locale"]  # govsite's additions to Wagtail's zh_Hans catalogue
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Static publishing (issue 5): <PUBLISH_ROOT>/<site code>/current is the live tree of a site.
PUBLISH_ROOT = ENV.path("GOVSITE_PUBLISH_ROOT", DATA_DIR / "public")
PUBLISH_KEEP = ENV.integer("GOVSITE_PUBLISH_KEEP", 5, minimum=2)
VERIFY_MINUTES = ENV.integer("GOVSITE_VERIFY_MINUTES", 60)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "govsite 政府网站集约化平台"
WAGTAILADMIN_BASE_URL = ENV.text("GOVSITE_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILUSERS_PASSWORD_REQUIRED = True
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "wps",
    "ofd",
    "txt",
    "zip",
    "rar",
    "mp4",  # 视频解读 (InterpretationPage.video)
]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
WAGTAILADMIN_USER_LOGIN_FORM = "govsite.accounts.forms.GovLoginForm"
# 分级审核: the last approval publishes, whoever approves it (the 单位负责人 holds no page permissions).
WAGTAIL_FINISH_WORKFLOW_ACTION = "govsite.review.finish.publish_approved"
