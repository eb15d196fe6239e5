"""A curator makes a collection in a real browser, adds two case studies with
notes and publishes it; a visitor then reads it. Every page on the way is
axe-clean and needs no sideways scrolling at 320 px."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, signed_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STUDIES = {
    "Tri-borough shared services in west London": "Three boroughs, one set of senior managers.",
    "Suffolk Libraries: a community mutual ran the county's libraries": "A mutual, not an outsourcing.",
}


def no_sideways_scrolling(page) -> bool:
    width = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.set_viewport_size(width)
    return overflow <= 0


def make_collection(page, live_server) -> None:
    page.goto(live_server.url + "/review/collections/")
    page.get_by_role("button", name="Make a collection").click()
    page.get_by_label("Title", exact=True).fill("Sharing senior management")
    page.get_by_label("Introduction", exact=True).fill("Councils that share their **top team**.")
    page.get_by_role("button", name="Make the collection").click()
    expect(page.locator("h1")).to_have_text("Sharing senior management")
    for title, note in STUDIES.items():
        page.locator("#id_case_study").select_option(label=title)
        page.locator("#id_note").fill(note)
        page.get_by_role("button", name="Add to the collection").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"“{title}” added.")


def test_a_curator_makes_and_publishes_a_collection_a_visitor_reads(live_server, demo, browser, page, axe):
    curator = User.objects.create(username="cat@network.org", email="cat@network.org", is_staff=True)
    curating = signed_in(browser, live_server, curator)
    make_collection(curating, live_server)
    assert_no_axe_violations(axe, curating)
    assert no_sideways_scrolling(curating)

    curating.get_by_role("button", name="Publish the collection").click()
    expect(curating.locator(".govuk-caption-l")).to_contain_text("Published")

    page.goto(live_server.url + "/collections/")
    page.get_by_role("link", name="Sharing senior management").click()
    expect(page.locator("h1")).to_have_text("Sharing senior management")
    expect(page.locator(".app-prose strong")).to_have_text("top team")
    items = page.locator("ol.app-shelf > li")
    expect(items).to_have_count(2)
    for n, (title, note) in enumerate(STUDIES.items()):
        expect(items.nth(n)).to_contain_text(title)
        expect(items.nth(n)).to_contain_text(note)
    assert_no_axe_violations(axe, page)
    assert no_sideways_scrolling(page)


def test_the_collections_pages_are_axe_clean_and_fit_320_pixels(live_server, demo, page, axe):
    for path in ["/collections/", "/collections/sharing-services-between-councils/"]:
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1
        assert_no_axe_violations(axe, page)
        assert no_sideways_scrolling(page), path


def test_the_curators_lists_and_forms_are_axe_clean(live_server, demo, browser, axe):
    curator = User.objects.create(username="cat@network.org", email="cat@network.org", is_staff=True)
    page = signed_in(browser, live_server, curator)
    page.goto(live_server.url + "/review/collections/")
    assert_no_axe_violations(axe, page)
    assert no_sideways_scrolling(page)

    page.goto(live_server.url + "/review/collections/new/")
    page.get_by_role("button", name="Make the collection").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title for the collection")
    assert_no_axe_violations(axe, page)
    assert no_sideways_scrolling(page)


def test_an_officer_follows_a_collection_by_keyboard(live_server, demo, browser, axe):
    officer = User.objects.create(username="al@torridge.gov.uk", email="al@torridge.gov.uk")
    page = signed_in(browser, live_server, officer)
    page.goto(live_server.url + "/collections/sharing-services-between-councils/")

    page.get_by_role("button", name="Follow this collection").focus()
    page.keyboard.press("Enter")

    expect(page.locator(".govuk-notification-banner")).to_contain_text("You are following")
    expect(page.get_by_role("button", name="Stop following this collection")).to_be_visible()
    assert_no_axe_violations(axe, page)
