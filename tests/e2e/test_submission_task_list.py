"""An officer writes a case study as the task list lets them: a topic at a time,
over two visits, with the mistakes people make on the way (money typed as
"£350k", a month misspelt, a section forgotten), and submits it from the check
page, in a real browser."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from casestudies.models import CaseStudy
from councils.models import Council, Membership
from tests.e2e.conftest import assert_no_axe_violations, signed_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "One legal team for two Devon districts"


@pytest.fixture
def officer(demo):
    user = User.objects.create(username="al@torridge.gov.uk", email="al@torridge.gov.uk")
    council = Council.objects.filter(case_study_roles__isnull=True, end_date__isnull=True).first()
    Membership.objects.create(user=user, council=council, status="confirmed")
    return user


def save(page) -> None:
    page.get_by_role("button", name="Save and continue").click()


def status_of(page, task: str):
    item = page.locator(".govuk-task-list__item").filter(has=page.get_by_text(task, exact=True))
    return item.locator(".govuk-task-list__status")


def first_visit(page, axe) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Share a reform").click()
    expect(status_of(page, "What you did")).to_have_text("Cannot start yet")
    assert_no_axe_violations(axe, page)
    page.get_by_role("link", name="About the reform").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Summary").fill("Two districts share one legal team, one manager and one case system.")
    save(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your draft has been saved")

    # Money as people write it, and a month misspelt: the money is saved, the month shown back.
    page.get_by_role("link", name="Evidence and money").click()
    page.get_by_label("Recurring savings a year").fill("£350k")
    page.get_by_label("Investment").fill("£1.2m")
    save(page)
    expect(status_of(page, "Evidence and money")).to_have_text("Completed")
    page.get_by_role("link", name="What happened").click()
    page.get_by_label("Outcomes").fill("Fees to outside solicitors fell by half.")
    page.get_by_label("Implemented").check()
    started = page.get_by_role("group", name="When the reform started")
    started.get_by_label("Month").fill("Apirl")
    started.get_by_label("Year").fill("2014")
    save(page)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the month the reform started as a number from 1 to 12 or its name")
    assert_no_axe_violations(axe, page)
    expect(started.get_by_label("Month")).to_have_value("Apirl")
    expect(started.get_by_label("Year")).to_have_value("2014")
    expect(page.get_by_label("Outcomes")).to_have_value("Fees to outside solicitors fell by half.")
    summary.get_by_role("link").click()
    expect(started.get_by_label("Month")).to_be_focused()
    started.get_by_label("Month").fill("April")
    save(page)
    # Lessons learnt left out: the topic is saved, but not complete.
    expect(status_of(page, "What happened")).to_have_text("Incomplete")


def second_visit(page, axe) -> None:
    page.get_by_role("link", name=TITLE).click()  # from their account page
    expect(status_of(page, "About the reform")).to_have_text("Completed")
    page.get_by_role("link", name="Reform types and themes").click()
    page.get_by_label("Shared services").check()
    save(page)
    page.get_by_role("link", name="What you did").click()
    page.get_by_label("Challenge").fill("Two small legal teams, each with one specialist.")
    page.get_by_label("Approach").fill("- One team\n- One case management system")
    save(page)

    # Submitting with a section still missing: the error leads to the box.
    page.get_by_role("link", name="Check your answers and submit").click()
    expect(page.locator("main")).to_contain_text("£350,000")
    expect(page.locator("main")).to_contain_text("April 2014")
    page.get_by_role("button", name="Submit for review").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_have_text("There is a problem Describe the lessons learnt", use_inner_text=False)
    assert_no_axe_violations(axe, page)
    summary.get_by_role("link", name="Describe the lessons learnt").click()
    expect(page.locator("h1")).to_have_text("What happened")
    page.get_by_label("Lessons learnt").fill("Agree how to split the costs before you start.")
    save(page)

    page.get_by_role("link", name="Check your answers and submit").click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been sent for review")


def test_an_officer_writes_a_case_study_over_two_visits_and_submits_it(live_server, officer, browser, axe):
    page = signed_in(browser, live_server, officer)
    page.goto(live_server.url + "/account/")
    first_visit(page, axe)
    page.context.close()

    page = signed_in(browser, live_server, officer)
    page.goto(live_server.url + "/account/")
    second_visit(page, axe)

    study = CaseStudy.objects.get(title=TITLE)
    assert study.publication_state == "submitted"
    assert (study.annual_savings_gbp, study.investment_gbp) == (350_000, 1_200_000)
    assert (study.started_year, study.started_month) == (2014, 4)
    assert study.lessons == "Agree how to split the costs before you start."
    page.context.close()
