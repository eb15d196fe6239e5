import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/case-studies/",
    "/case-studies/?q=libary+hubs",
    "/case-studies/?q=shared+services&nation=England&status=implemented&evidence=2",
    "/case-studies/?q=submarine",
    "/case-studies/?evidence=abc&started_from=soon&council=Atlantis",
    "/case-studies/?like=sha",
    "/case-studies/?reform_type=shared-services",
    "/case-studies/?reform_type=nonsense",
    "/case-studies/south-hams-west-devon-shared-services/",
    "/councils/",
    "/councils/sha/",
    "/councils/bkm/",
    "/about/",
    "/sign-in/",
    "/api/",
    "/case-studies/export/?theme=libraries",
    "/accessibility/",
    "/no-such-page/",
]


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_have_no_wcag_aa_violations(live_server, demo, page, axe, path):
    page.goto(live_server.url + path)

    assert page.locator("h1").count() == 1
    assert_no_axe_violations(axe, page)


def test_filtering_works_without_javascript(live_server, demo, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/case-studies/")
        # A person clicks the label: GOV.UK styles the box itself on the label.
        page.locator("label", has_text="Co-operative council").click()
        page.get_by_role("button", name="Apply filters").click()

        assert "reform_type=co-operative-council" in page.url
        assert (
            page.get_by_role("link", name="Oldham's co-operative council: everybody does their bit").count()
            == 1
        )
        assert (
            page.get_by_role(
                "link", name="The Wigan Deal: a new relationship between council and residents"
            ).count()
            == 1
        )
        assert page.get_by_role("link", name="Tri-borough shared services in west London").count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/", "/case-studies/?reform_type=co-operative-council", "/councils/"])
def test_pages_without_their_scripts_have_no_wcag_aa_violations(live_server, demo, browser, axe, path):
    # axe itself needs JavaScript, so the page's own scripts are blocked instead.
    context = browser.new_context()
    context.route("**/js/app*.js", lambda route: route.abort())
    context.route("**/govuk-frontend.min.js", lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto(live_server.url + path)
        assert "js-enabled" not in page.evaluate("document.body.className")
        assert_no_axe_violations(axe, page)
    finally:
        context.close()


def test_the_header_search_and_skip_link_work_from_the_keyboard(live_server, demo, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")

    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"

    page.keyboard.press("Enter")
    # The browser follows the link after the key press returns: wait for it, as a person would.
    expect(page).to_have_url(re.compile(r"#main-content$"))
    expect(page.locator("#main-content")).to_be_focused()


NARROW_PAGES = [
    "/",
    "/case-studies/?q=shared&nation=England",
    "/case-studies/wigan-deal/",
    "/councils/",
    "/api/",
]


@pytest.mark.parametrize("path", NARROW_PAGES)
@pytest.mark.parametrize(
    "viewport",
    [
        {"width": 320, "height": 640},  # a small phone
        {"width": 640, "height": 400},  # a 1280 by 800 window zoomed to 200%
    ],
    ids=["320px", "200%-zoom"],
)
def test_nothing_scrolls_sideways_on_small_screens_or_at_200_percent_zoom(
    live_server, demo, browser, path, viewport
):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
    finally:
        context.close()


def test_javascript_runs_under_the_content_security_policy(live_server, demo, page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + "/")
    # Our module script marks the page as enhanced once GOV.UK Frontend has started.
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))

    assert not [error for error in errors if "Content Security Policy" in error]


def test_changing_a_filter_updates_results_counts_and_address_in_place(live_server, demo, page):
    page.goto(live_server.url + "/case-studies/?q=shared")
    before = page.locator("#result-count").inner_text()
    page.locator("summary", has_text="Nation").click()
    wales = page.locator("input[name=nation][value=Wales]")
    page.locator(f"label[for={wales.get_attribute('id')}]").click()

    expect(page).to_have_url(re.compile(r"nation=Wales"))
    expect(page.locator("#result-count")).not_to_have_text(before)
    expect(page.locator("#shelf-announcer")).to_contain_text("case stud")
    assert page.evaluate("document.activeElement.id") == wales.get_attribute("id")
    assert wales.is_checked()


def test_search_and_filter_by_keyboard_alone(live_server, demo, page):
    page.goto(live_server.url + "/case-studies/")
    page.locator("#id_q").focus()
    page.keyboard.type("co-operative council")
    page.keyboard.press("Enter")

    expect(page.locator("#result-count")).to_contain_text("for “co-operative council”")
    assert page.evaluate("document.activeElement.id") == "result-count"
    page.locator("#filter-reform_type-0").focus()
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"reform_type=co-operative-council"))
    expect(
        page.get_by_role("link", name="Oldham's co-operative council: everybody does their bit")
    ).to_be_visible()


def test_the_sign_in_form_with_errors_is_accessible(live_server, demo, page, axe):
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Your work email address").fill("not an email")
    page.get_by_role("button", name="Email me a sign-in link").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter an email address in the right format")
    assert_no_axe_violations(axe, page)
    page.get_by_label("Your work email address").fill("someone@gmail.com")
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.locator("h1")).to_have_text("We do not recognise your council's email address")
    assert_no_axe_violations(axe, page)


def test_an_officer_signs_in_by_email_and_drafts_a_case_study(live_server, demo, page, axe):
    from django.core import mail

    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Your work email address").fill("jo@southhams.gov.uk")
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    link = re.search(r"https?://\S+/sign-in/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Your account")
    assert_no_axe_violations(axe, page)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Share a reform").click()
    assert_no_axe_violations(axe, page)  # the task list
    page.get_by_role("link", name="About the reform").click()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title")
    assert_no_axe_violations(axe, page)

    page.get_by_label("Title").fill("Joint legal team for two districts")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your draft has been saved")
    page.get_by_role("link", name="Preview your case study").click()
    expect(page.locator("h1")).to_have_text("Joint legal team for two districts")
    assert_no_axe_violations(axe, page)


def test_on_a_phone_results_come_first_and_the_filters_fold(live_server, demo, browser, axe):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/case-studies/?q=shared")

    first_result = page.locator("#shelf .app-shelf__item").first.bounding_box()
    panel = page.locator(".app-filter-panel")
    assert first_result["y"] < panel.bounding_box()["y"]
    assert first_result["y"] < 844  # on the first screen
    expect(panel).not_to_have_attribute("open", "")
    expect(page.get_by_role("group", name="Reform type")).to_be_hidden()

    page.get_by_text("Filter", exact=True).click()

    expect(page.get_by_role("group", name="Reform type")).to_be_visible()
    assert_no_axe_violations(axe, page)
    context.close()


def test_on_a_wide_screen_the_filters_stay_open_beside_the_results(live_server, demo, page):
    page.goto(live_server.url + "/case-studies/?q=shared")

    expect(page.locator(".app-filter-panel")).to_have_attribute("open", "")
    panel, results = page.locator(".app-filter-panel").bounding_box(), page.locator("#shelf").bounding_box()
    assert panel["x"] < results["x"] and abs(panel["y"] - results["y"]) < 200
