import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FILTERED = "/case-studies/?reform_type=co-operative-council"


def tab_to_a_council(page) -> str:
    """Press Tab until a council's circle on the map has focus; its name."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.app-map__council')"):
            break
    return page.evaluate("document.activeElement.querySelector('title').textContent").split(":")[0]


def test_a_person_goes_from_a_filtered_list_to_the_map_and_chooses_a_council_by_keyboard(
    live_server, demo, page, axe
):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(live_server.url + FILTERED)
    page.get_by_role("link", name="Show on a map").click()

    expect(page).to_have_url(re.compile(r"/map/\?reform_type=co-operative-council$"))
    council = tab_to_a_council(page)
    page.keyboard.press("Enter")

    panel = page.get_by_role("region", name=council)
    expect(panel.get_by_role("heading", name=council)).to_be_focused()
    expect(panel.get_by_role("link", name=f"{council}: the council's page")).to_be_visible()
    assert panel.locator("ul a").count() >= 1
    assert_no_axe_violations(axe, page)
    panel.get_by_role("link", name="See them in the list of case studies").click()
    expect(page).to_have_url(
        re.compile(r"/case-studies/\?reform_type=co-operative-council&council=[a-z0-9]+$")
    )
    expect(page.locator(".app-shelf__meta").first).to_contain_text(council)
    assert hosts == {urlsplit(live_server.url).netloc}


def test_without_javascript_a_council_on_the_map_is_a_link_to_its_case_studies(live_server, demo, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/map/" + FILTERED.split("/")[-1])
        council = tab_to_a_council(page)
        page.keyboard.press("Enter")

        expect(page).to_have_url(
            re.compile(r"/case-studies/\?reform_type=co-operative-council&council=[a-z0-9]+$")
        )
        expect(page.locator(".app-shelf__meta").first).to_contain_text(council)
    finally:
        context.close()


@pytest.mark.parametrize(
    "path", ["/map/", "/map/" + FILTERED.split("/")[-1], "/map/?evidence=abc&council=Atlantis"]
)
def test_the_map_has_no_wcag_aa_violations_and_fits_320_pixels(live_server, demo, browser, axe, path):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        page.goto(live_server.url + path)

        assert page.locator("h1").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert_no_axe_violations(axe, page)
        page.set_viewport_size({"width": 1024, "height": 768})
        assert_no_axe_violations(axe, page)
    finally:
        context.close()
