"""An officer compares two reforms: one chosen from the list, one from its own page."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FROM_LIST = "Cardiff Capital Region City Deal"
FROM_PAGE = "One workforce for two district councils: South Hams and West Devon"


def adding(title: str) -> re.Pattern:
    # The title is read out after the visible words, as its own phrase.
    return re.compile(rf"^Add to comparison\W+{re.escape(title)}$")


@pytest.mark.parametrize("script", [True, False], ids=["with its script", "without its script"])
def test_an_officer_adds_two_case_studies_and_compares_them(live_server, demo, browser, axe, script):
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    if not script:  # axe itself needs JavaScript, so the page's own scripts are blocked instead
        context.route("**/js/app*.js", lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto(live_server.url + "/case-studies/?q=cardiff+city+deal")
        page.get_by_role("button", name=adding(FROM_LIST)).click()
        # Said beside the button by the script; without it, in a banner on the page the server sends back.
        told = page.locator(".app-compare-add__status" if script else ".govuk-notification-banner")
        expect(told).to_contain_text(f"Added “{FROM_LIST}” to your comparison (1 of 4 chosen).")
        assert_no_axe_violations(axe, page)

        page.goto(live_server.url + "/case-studies/south-hams-west-devon-shared-services/")
        page.get_by_role("button", name=adding(FROM_PAGE)).click()
        page.get_by_role("link", name="See your comparison").first.click()
        assert_no_axe_violations(axe, page)
        page.get_by_role("button", name="Compare these").click()

        table = page.locator("#comparison")
        expect(table.get_by_role("columnheader", name=FROM_LIST)).to_be_visible()
        expect(table.get_by_role("columnheader", name=FROM_PAGE)).to_be_visible()
        expect(page.locator("#row-cost")).to_contain_text("Differs")
        assert_no_axe_violations(axe, page)

        page.set_viewport_size({"width": 320, "height": 640})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        assert_no_axe_violations(axe, page)
    finally:
        context.close()
