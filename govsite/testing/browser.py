"""Real-browser test support: Debian's chromium driven by Playwright, pages in Chinese, and numbered
screenshots kept as test artefacts under ``test-artifacts/<test name>/``.

Register it once in the root conftest (``pytest_plugins = ["govsite.testing.browser"]``); until then a
test module imports the fixtures it uses (``from govsite.testing.browser import browser, page``).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from django.db import connections
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
LOCALE = "zh-CN"
TIMEZONE = "Asia/Shanghai"
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
# Generous enough for a cold Wagtail admin page on a loaded CI runner; Playwright polls, so a
# passing step never waits this long.
DEFAULT_TIMEOUT_MS = 15_000
REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"

_failed_call_key = pytest.StashKey[bool]()
_shots_taken: dict[str, int] = {}


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; browser tests may not be skipped in CI", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def browser() -> Iterator[Browser]:
    """A headless chromium for one test.

    Per test, not per session: while Playwright's sync API is running, this thread has a running
    asyncio loop, which changes how Django (and asgiref) behave for *any* code in the thread — an
    idle session-wide browser would leak that into every later non-browser test of the worker.
    Starting it costs about a second.
    """
    _require_chromium()
    thread_connections = {alias: connections[alias] for alias in connections}
    previous_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    # Playwright's loop is "running" in this thread but parked in another greenlet while test code
    # runs, so ORM calls here are really synchronous: lift Django's SynchronousOnlyOperation guard.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            # With a running loop, django.db.connections switches to per-context storage and would
            # open fresh connections, not the ones pytest-django prepared (their transaction and
            # serialized-rollback state; on PostgreSQL also extra sessions left open at teardown).
            # Put this thread's connections there too.
            for alias, connection in thread_connections.items():
                connections[alias] = connection
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield launched
            finally:
                launched.close()
    finally:
        if previous_unsafe is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous_unsafe


def new_context(browser: Browser) -> BrowserContext:
    """A fresh, cookie-less browser profile in Chinese, as a citizen's or an editor's would be."""
    context = browser.new_context(locale=LOCALE, timezone_id=TIMEZONE, viewport=VIEWPORT)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    return context


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in its own browser context; if the test fails, its last state is saved as a screenshot."""
    context = new_context(browser)
    tab = context.new_page()
    yield tab
    if request.node.stash.get(_failed_call_key, False):
        shot(tab, "failure", full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, object, object]:
    # Effective once this module is registered as a plugin: tells `page` that the test failed.
    report = yield
    if call.when == "call" and getattr(report, "failed", False):
        item.stash[_failed_call_key] = True
    return report


def _current_test() -> tuple[str, str]:
    """(node id, directory name) of the running test, from the variable pytest keeps up to date."""
    current = os.environ.get("PYTEST_CURRENT_TEST")
    if not current:
        raise RuntimeError("shot() must be called from inside a running pytest test")
    node_id = current.rsplit(" ", 1)[0]
    name = node_id.rsplit("::", 1)[-1]
    return node_id, re.sub(r"[^\w.-]+", "_", name).strip("_")


def shot(page: Page, name: str, *, full_page: bool = False) -> Path:
    """Save a screenshot as test-artifacts/<test name>/<NN>-<name>.png; NN counts up within the test.

    A test's first screenshot clears what an earlier run of the same test left behind."""
    node_id, test_dir = _current_test()
    directory = ARTIFACTS_DIR / test_dir
    if node_id not in _shots_taken:
        shutil.rmtree(directory, ignore_errors=True)
        _shots_taken[node_id] = 0
    _shots_taken[node_id] += 1
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{_shots_taken[node_id]:02d}-{name}.png"
    # Finished animations: a flash message caught mid-slide would hide what the step produced.
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path


def admin_url(base_url: str, name: str, *args: object) -> str:
    """Absolute URL of a named admin view on the live server (honours GOVSITE_ADMIN_URL)."""
    return base_url + reverse(name, args=args)


def login(page: Page, base_url: str, username: str, password: str | None = None) -> None:
    """Sign in through the Wagtail login form and wait for the dashboard; the password defaults to
    the one every factory-made account has."""
    if password is None:
        # Imported here: this module may be loaded as a plugin before Django is set up.
        from govsite.testing.factories import PASSWORD

        password = PASSWORD
    page.goto(admin_url(base_url, "wagtailadmin_login"))
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(password)  # govsite's login form labels both fields in Chinese
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(admin_url(base_url, "wagtailadmin_home"))


def logout(page: Page, base_url: str) -> None:
    """Sign out through the sidebar's account menu (Wagtail logs out by POST only)."""
    page.locator("button.sidebar-footer__account").click()
    page.get_by_role("button", name="注销", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(admin_url(base_url, "wagtailadmin_login"))))
