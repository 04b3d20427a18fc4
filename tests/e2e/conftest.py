"""Browser journeys: Playwright for Python driving Debian's Chromium against a live server."""

import os
import re
from pathlib import Path

import pytest

from . import accessibility

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# from the test itself are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("SHENPI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DEMO_PASSWORD = "Shenpi#2026"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def world(transactional_db):
    """The demo world, loaded again for each journey (the live server's data is flushed after each)."""
    from shenpi.demo import seed_everything

    seed_everything(cases=False)


@pytest.fixture
def new_page(browser, live_server, world, request, settings):
    """A factory of pages, each in its own browser context (its own session)."""
    contexts, violations, visited = [], [], {}
    # The QR codes and links on notices and licences lead to this server, as `make run`'s do.
    settings.SHENPI_PUBLIC_URL = live_server.url

    def watch(page):
        page.on("load", lambda: visited.setdefault(page.context, []).append(page.url))
        # The Content-Security-Policy (shenpi.common.security) forbids inline script and
        # style: the browser reports each violation on the console, and the journey fails.
        page.on(
            "console",
            lambda message: (
                violations.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )

    def make(viewport=None):
        context = browser.new_context(
            base_url=live_server.url,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport=viewport or {"width": 1280, "height": 900},
        )
        context.set_default_timeout(15_000)
        context.on("page", watch)
        contexts.append(context)
        return context.new_page()

    inaccessible, closed = [], set()

    def close(page):
        """Done with this person's session before the journey ends: its pages are checked
        now, as they would have been at the end."""
        context = page.context
        inaccessible.extend(_audit_visited(context, visited.get(context, []), live_server.url))
        closed.add(context)
        context.close()

    make.close = close
    yield make
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    for i, context in enumerate(contexts):
        if context in closed:
            continue
        for j, page in enumerate(context.pages):
            page.screenshot(path=str(ARTIFACTS / f"{name}-{i}-{j}.png"), full_page=True)
        inaccessible += _audit_visited(context, visited.get(context, []), live_server.url)
        context.close()
    assert not violations, "\n".join(violations)
    assert not inaccessible, "axe-core:\n" + "\n".join(inaccessible)


def _audit_visited(context, urls, origin) -> list[str]:
    """axe on each page this context opened whose route was not checked yet: the open pages
    as they stand, then the others opened again (GET) in the same session."""
    found = []
    for page in context.pages:
        if page.url.startswith(origin) and accessibility.due(page) and _is_html(page):
            found += accessibility.audit(page)
    again = context.new_page()
    for url in dict.fromkeys(urls):
        if not url.startswith(origin):
            continue
        if (accessibility.route_of(url), accessibility.phone(again)) in accessibility.audited:
            continue
        try:
            answer = again.goto(url)
        except Exception:  # a download, or a page that navigates away: nothing to check
            continue
        if answer is None or not answer.ok or not _is_html(again) or not accessibility.due(again):
            continue
        found += accessibility.audit(again)
    return found


def _is_html(page) -> bool:
    return page.evaluate("() => document.contentType") == "text/html"


@pytest.fixture
def page(new_page):
    return new_page()


def log_in(page, username, password=DEMO_PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def accepting_dialogs(page) -> list[str]:
    """Accept the confirmations the page asks (irreversible actions) and keep their texts."""
    seen: list[str] = []

    def accept(dialog):
        seen.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    return seen
