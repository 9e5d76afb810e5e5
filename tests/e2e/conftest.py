"""Browser tests: Playwright drives Debian's Chromium (no browser download works here)."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.e2e


@pytest.fixture
def browser(_live_server_helper):
    """Per test, started after the database is set up: Playwright's sync API runs an event
    loop in this thread, and the database restore of the next transactional test must not
    run while one is alive."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    # The ORM calls a test makes between browser steps are ordinary synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        # launch() starts Chromium with a fresh temporary profile of its own.
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def phone(browser):
    """A 360 px wide phone screen."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_without_js(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshots(request, tmp_path):
    """Where each step's screenshot goes: $SCREENSHOT_DIR (one folder per test) or a temporary
    folder. With DOCS_SCREENSHOTS=1 the steps marked for the README are also written, small,
    to docs/screenshots/ (`make screenshots`)."""
    from tests.e2e.journey import Screenshots

    base = os.environ.get("SCREENSHOT_DIR")
    folder = (Path(base) / request.node.name) if base else tmp_path / "screenshots"
    return Screenshots(folder, docs=os.environ.get("DOCS_SCREENSHOTS") == "1")


def log_in(page, base_url: str, login: str, password: str = "hocso2026", *, next_url: str = ""):
    page.goto(base_url + "/account/login/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill(login)
    page.get_by_label("Mật khẩu hoặc mã kích hoạt").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
