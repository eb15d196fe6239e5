"""The whole journey in a real browser: an officer signs in from an emailed link,
drafts, saves, previews and submits; the public cannot see it; a curator
publishes it; it is on the shelves and in search; the author got the emails."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, signed_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Joint legal team for two Devon districts"


def test_from_sign_in_to_published_with_the_emails(live_server, demo, page, browser, axe):
    # The officer signs in by the emailed link.
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Your work email address").fill("jo@southhams.gov.uk")
    page.get_by_role("button", name="Email me a sign-in link").click()
    link = re.search(r"https?://\S+/sign-in/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Sign in").click()

    # Draft, save, preview: a topic at a time, each saved.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Share a reform").click()
    page.get_by_role("link", name="About the reform").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Summary").fill("South Hams and West Devon share one legal team and one manager.")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your draft has been saved")
    page.get_by_role("link", name="Reform types and themes").click()
    page.get_by_label("Shared services").check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="What you did").click()
    page.get_by_label("Challenge").fill("Two small legal teams, each with one specialist.")
    page.get_by_label("Approach").fill("- One team\n- One case management system")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="What happened").click()
    page.get_by_label("Outcomes").fill("Fees to outside solicitors fell by half.")
    page.get_by_label("Lessons learnt").fill("Agree how to split costs before you start.")
    page.get_by_label("Implemented").check()
    page.get_by_role("group", name="When the reform started").get_by_label("Year").fill("2014")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Preview your case study").click()
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "This is how your case study will look"
    )

    # Submit from the check page; the public cannot see it.
    page.get_by_role("link", name="Go back to editing").click()
    page.get_by_role("link", name="Check your answers and submit").click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been sent for review")
    expect(page.locator("main")).to_contain_text("Waiting for review")
    visitor = browser.new_context()
    public = visitor.new_page()
    public.goto(live_server.url + "/case-studies/?q=legal+team")
    expect(public.locator("main")).not_to_contain_text(TITLE)
    assert any("Submitted for review" in m.subject for m in mail.outbox)

    # A curator finds it in the queue and publishes it.
    curator = User.objects.create(username="cat@network.org", email="cat@network.org", is_staff=True)
    curating = signed_in(browser, live_server, curator)
    curating.goto(live_server.url + "/review/")
    assert_no_axe_violations(axe, curating)
    curating.get_by_role("link", name=TITLE).click()
    assert_no_axe_violations(axe, curating)
    curating.get_by_role("button", name="Publish").click()
    expect(curating.locator("h1")).to_have_text("Publish this case study?")  # nothing happens yet
    assert_no_axe_violations(axe, curating)
    public.goto(live_server.url + "/case-studies/?q=legal+team")
    expect(public.locator("main")).not_to_contain_text(TITLE)
    curating.get_by_role("button", name="Yes, publish it").click()
    expect(curating.locator(".govuk-notification-banner")).to_contain_text("is published")

    # Now it is on the shelves and in search, and the author was told.
    public.goto(live_server.url + "/case-studies/?q=legal+team")
    public.get_by_role("link", name=TITLE).click()
    expect(public.locator("h1")).to_have_text(TITLE)
    published = [
        m for m in mail.outbox if m.to == ["jo@southhams.gov.uk"] and "published" in m.subject.lower()
    ]
    assert (
        len(published) == 1 and "/case-studies/joint-legal-team-for-two-devon-districts/" in published[0].body
    )
    visitor.close()


def test_a_curator_reviews_a_proposed_edit_field_by_field(live_server, demo, browser, axe):
    from casestudies.models import CaseStudy
    from moderation.models import ProposedEdit

    study = CaseStudy.objects.published().first()
    curator = User.objects.create(username="cat@network.org", email="cat@network.org", is_staff=True)
    from moderation import transitions as moderation

    data = {
        "title": [study.title], "summary": [study.summary], "challenge": [study.challenge],
        "approach": [study.approach], "outcomes": ["Audited savings of £1.2m a year by 2020."],
        "lessons": [study.lessons], "status": [study.status], "started_year": [str(study.started_year)],
        "lead_council": [str(study.lead_council.pk)],
        "reform_types": [str(t.pk) for t in study.reform_types.all()],
    }  # fmt: skip
    edit = ProposedEdit.objects.create(case_study=study, data=data, created_by=curator)
    moderation.record(study, moderation.Action.EDIT_PROPOSED, curator, edit=edit)

    page = signed_in(browser, live_server, curator)
    page.goto(f"{live_server.url}/review/edits/{edit.pk}/")
    expect(page.locator("table")).to_contain_text("Audited savings of £1.2m a year by 2020.")
    assert_no_axe_violations(axe, page)
