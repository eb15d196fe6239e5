"""The forms around the case study list, as an officer clicks them. The filter form
is the filters column; the search box and the sort control join it by their form
attribute, and "Follow this search" is a form of its own beside it (a form inside
the filter form was dropped by the browser, so its button re-ran the search).
With and without JavaScript, since the shelf's script takes over the filter form."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.e2e.conftest import signed_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(demo):
    from councils.models import Council, Membership

    user = User.objects.create(username="al@torridge.gov.uk", email="al@torridge.gov.uk")
    council = Council.objects.filter(case_study_roles__isnull=True, end_date__isnull=True).first()
    Membership.objects.create(user=user, council=council, status="confirmed")
    return user


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_officer_follows_a_search_from_the_results(live_server, officer, browser, javascript):
    from peers.models import Follow

    page = signed_in(browser, live_server, officer, javascript=javascript)
    page.goto(live_server.url + "/case-studies/")
    main = page.locator("main")
    main.get_by_label("Search the case studies").fill("shared services")
    main.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#result-count")).to_contain_text("for “shared services”")

    main.get_by_label("as soon as one is published").check()
    main.get_by_role("button", name="Follow this search").click()

    expect(page).to_have_url(re.compile(r"/account/$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You are following")
    followed = Follow.objects.get(user=officer)
    assert followed.query == "q=shared+services"
    page.goto(live_server.url + "/account/")
    following = page.locator("#following + ul")
    expect(following.get_by_role("link", name=followed.label, exact=True)).to_be_visible()
    expect(following).to_contain_text("emailed as soon as")


def test_changing_the_sort_updates_the_results_in_place(live_server, demo, page):
    page.goto(live_server.url + "/case-studies/?q=shared")
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Sort by").select_option("newest")

    expect(page).to_have_url(re.compile(r"sort=newest"))
    expect(page.get_by_label("Sort by")).to_have_value("newest")
    assert page.evaluate("window.stillTheSamePage === true")
