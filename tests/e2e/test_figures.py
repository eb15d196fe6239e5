"""A person looks at a filtered shelf in figures, on a small phone."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHARTS = [
    "Savings by reform type",
    "Case studies by the year they started, and their status",
    "Strength of evidence",
    "Councils by nation",
    "Councils by type",
]


def test_a_person_sees_a_filtered_shelf_in_figures_on_a_small_phone(
    live_server, demo, browser, axe, tmp_path
):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/case-studies/?reform_type=shared-services")
        page.get_by_role("link", name="This shelf in figures").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("This shelf in figures")
        assert page.url.endswith("/figures/?reform_type=shared-services")
        expect(page.get_by_role("link", name="Remove filter Reform type: Shared services")).to_be_visible()
        for title in CHARTS:
            expect(page.get_by_role("img", name=f"{title}, as a bar chart.", exact=False)).to_be_visible()
            expect(page.get_by_role("table", name=f"{title}: the figures")).to_be_attached()
        savings = page.get_by_role("table", name="Savings by reform type: the figures")
        expect(savings.get_by_role("rowheader", name="Shared services")).to_be_visible()
        assert_no_axe_violations(axe, page)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
    finally:
        context.close()
