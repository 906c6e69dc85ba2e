"""Playwright against Django's live server, driving Debian's chromium (no downloaded browsers).

Django's live server runs in a thread of this process and Playwright's sync API runs an event loop,
so Django's async-safety guard must be relaxed for the database calls the tests make.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(5_000)
    return context, page


@pytest.fixture
def page(browser):
    context, page = _page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context, page = _page(browser, PHONE)
    yield page
    context.close()


@pytest.fixture
def sign_in(live_server):
    """``sign_in(page, username)``: sign in through the real form, as a person would."""
    from civicmeter.testing import PASSWORD

    def sign_in(page, username: str) -> None:
        # The live server's first request imports the whole site: allow it longer on a busy machine.
        page.goto(f"{live_server.url}/accounts/login/", timeout=30_000)
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.locator("main").get_by_role("button").click()

    return sign_in
