"""A person finds their council by postcode, says it is theirs, and sees reforms
from councils like it: in a browser, axe-clean, and at 320 px without sideways scrolling."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.councils.onspd import onspd_row, write_onspd
from tests.e2e.conftest import assert_no_axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postcodes(demo, tmp_path):
    path = write_onspd(tmp_path / "onspd.csv", [onspd_row("TQ9 5NE", "E07000044")])  # South Hams
    call_command("import_postcodes", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def sideways_scroll(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_a_person_finds_their_council_by_postcode_chooses_it_and_sees_councils_like_it(
    live_server, postcodes, page, axe
):
    page.goto(live_server.url + "/councils/")
    page.get_by_label("Postcode").fill("tq9 5ne")
    page.get_by_role("button", name="Find by postcode").click()

    expect(page.locator("#postcode-result")).to_contain_text("TQ9 5NE is in the area of")
    assert_no_axe_violations(axe, page)
    page.locator("#postcode-result").get_by_role("link", name="South Hams District Council").click()

    expect(page.locator("h1")).to_have_text("South Hams District Council")
    assert_no_axe_violations(axe, page)
    page.get_by_role("button", name="This is my council").click()

    expect(page.locator("#like-explanation")).to_contain_text("Reforms from councils like South Hams")
    assert_no_axe_violations(axe, page)
    page.goto(live_server.url + "/case-studies/")
    expect(page.get_by_role("link", name="Show reforms from councils like South Hams")).to_be_visible()


def test_a_postcode_it_cannot_use_is_named_in_an_error_that_leads_to_the_box(
    live_server, postcodes, page, axe
):
    page.goto(live_server.url + "/councils/")
    page.get_by_label("Postcode").fill("TQ9")
    page.get_by_role("button", name="Find by postcode").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a full postcode in the Postcode box")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Postcode")).to_be_focused()
    assert_no_axe_violations(axe, page)


@pytest.mark.parametrize(
    "path", ["/councils/", "/councils/?postcode=TQ9+5NE", "/councils/?postcode=TQ9", "/councils/sha/"]
)
def test_nothing_scrolls_sideways_at_320_px(live_server, postcodes, browser, path):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        page.goto(live_server.url + path)
        assert sideways_scroll(page) <= 0
    finally:
        context.close()
