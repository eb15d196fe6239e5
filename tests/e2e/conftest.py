"""Browser tests: Playwright drives Debian's chromium (never a downloaded
browser) against pytest-django's live server."""

import os
import re
import shutil

import pytest

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    reason = os.environ.get("SHOWCASE_SKIP_E2E")
    if not reason and not shutil.which("chromium"):
        reason = "Debian's chromium package is not installed (apt-get install chromium)"
    if reason:
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=f"BROWSER TESTS SKIPPED: {reason}"))


@pytest.fixture(scope="session", autouse=True)
def _live_server_as_deployed():
    """The live server runs production's settings, with one difference and why:
    production sits behind a TLS-terminating load balancer, and there is no
    certificate on loopback, so browsers speak plain HTTP to the live server and it
    does not redirect them to HTTPS. (Secure cookies still work: browsers treat
    localhost as a secure origin.) Its static files are the collected, hashed copies,
    served from STATIC_ROOT as WhiteNoise serves them in production; Django's
    development handler would look for the unhashed names and find nothing."""
    from django.conf import settings
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.views.static import serve

    settings.SECURE_SSL_REDIRECT = False  # read once, when the live server's middleware starts
    development_serve = StaticFilesHandler.serve

    def serve_collected(handler, request):
        return serve(request, handler.file_path(request.path), document_root=settings.STATIC_ROOT)

    StaticFilesHandler.serve = serve_collected
    yield
    StaticFilesHandler.serve = development_serve


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def assert_no_axe_violations(axe, page) -> None:
    # Judged as a person sees it, once the page and its stylesheet have loaded: straight
    # after a click on a link, axe once ran on a page not yet styled (its skip link shown
    # and its navigation links 17 pixels high, "target-size").
    page.wait_for_load_state("load")
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def signed_in(browser, live_server, user, *, javascript=True):
    """A page in a browser session for ``user``, as if they had signed in by email."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    if not javascript:
        context.route(re.compile(r".*\.m?js(\?.*)?$"), lambda route: route.abort())
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()
