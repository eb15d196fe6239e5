"""Journeys as officers click them, and nothing else: each person has a browser
of their own and an inbox, signs in by opening the link in the email the worker
sent through a real SMTP server, and does everything through the pages.

The site runs as production does, as far as one machine can: the page cache on,
every email and every job after a publish queued in the database and done by
`manage.py run_worker` in another process (tests/e2e/journey_site.py). One
server, worker and SMTP server serve every journey in this module, on one
database loaded with the demo; each journey is a different person, so none
depends on another having run. Screenshots of the key pages they pass through
are kept in build/screenshots/<database>/."""

import time

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from casestudies.models import CaseStudy, PublicationState
from councils.models import Council
from tests.conftest import _forget_task_backends
from tests.e2e.journey_site import DATABASE_QUEUE, body, journey_site, link_in, wait_until_the_queue_is_done
from tests.factories import CaseStudyFactory, officer_of

pytestmark = [pytest.mark.e2e]

LEGAL_SERVICE = "HB Public Law: a shared legal service hosted by Harrow"


@pytest.fixture(scope="module")
def transactional_db(django_db_setup, django_db_blocker):
    """Stands in for pytest-django's in this module: one database for every
    journey, written by the server's threads and the worker, never emptied
    between journeys, as a site's is; journey_site() empties it at the end. By
    this name pytest-django still makes the test database for these tests and
    runs them among the transactional tests, after every test that relies on a
    rollback leaving the migrations' rows in place."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="module")
def site(transactional_db, live_server, browser, _loopback_smtp, tmp_path_factory):
    # pytest-django's live server is not used here (a worker in another process cannot
    # reach the database it serves on SQLite), but started before the browser it is
    # stopped after it at the session's end, as the other browser tests need: stopped
    # first, the connections their browsers keep alive fail in its threads.
    folder = tmp_path_factory.mktemp("journeys")
    with journey_site(browser=browser, smtp=_loopback_smtp, folder=folder) as site:
        yield site


@pytest.fixture(autouse=True)
def _tasks_wait_for_the_worker(_tasks_run_at_once, settings, site):
    """Tasks go to the database queue for the worker, as in production, not run at once."""
    settings.TASKS = DATABASE_QUEUE
    _forget_task_backends()
    site.inbox.smtp.reset()
    logged_before = len(site.worker.log)
    yield
    assert site.worker.alive, site.worker.log
    # Every email went through the worker: none was sent from inside a request.
    assert mail.outbox == []
    # And all the work the journey queued succeeded, seen or not (related reforms, figures ...).
    wait_until_the_queue_is_done()
    logged = site.worker.log[logged_before:]
    assert "state=FAILED" not in logged and " ERROR " not in logged, logged


def sign_in(page, site, email: str) -> None:
    """From the sign-in page: ask for a link, open it from the email, press the button."""
    expect(page.locator("h1")).to_have_text("Sign in")
    page.get_by_label("Your work email address").fill(email)
    links_before = len(site.inbox.about(to=email, subject="sign in"))
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    message = site.inbox.wait_for(to=email, subject="sign in", after=links_before)
    page.goto(link_in(message, "/sign-in/"))
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You are signed in")


def menu(page, name: str):
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=name)


def pages_shown(page) -> dict[str, str]:
    """Every page and in-place update this browser is sent, by address, to search afterwards."""
    shown: dict[str, str] = {}

    def keep(response):
        if response.request.resource_type in {"document", "fetch", "xhr"}:
            try:
                shown[response.url] = shown.get(response.url, "") + response.text()
            except Exception:  # noqa: BLE001 - a redirect has no body to keep
                shown.setdefault(response.url, "")

    page.context.on("response", keep)
    return shown


def test_a_district_officer_finds_a_shared_legal_service_and_writes_to_its_team(site):
    team_address = CaseStudy.objects.get(title=LEGAL_SERVICE).contact_email
    officer_email = "sam.jones@westdevon.gov.uk"
    officer = site.new_browser()
    shown = pages_shown(officer)

    officer.goto(site.url + "/")
    site.screenshots.take(officer, "home")
    # Their own council first, from the directory.
    menu(officer, "Councils").click()
    officer.get_by_label("Name").fill("West Devon")
    officer.get_by_role("button", name="Find councils").click()
    site.screenshots.take(officer, "council-directory")
    officer.get_by_role("link", name="West Devon", exact=True).click()
    expect(officer.locator("h1")).to_contain_text("West Devon Borough Council")
    site.screenshots.take(officer, "council-page")

    # A legal service: search, then narrow to councils like theirs.
    menu(officer, "Case studies").click()
    officer.get_by_label("Search the case studies").fill("legal")
    officer.get_by_role("button", name="Search", exact=True).click()
    results = officer.locator(".app-shelf")
    expect(officer.locator("#result-count")).to_contain_text("for “legal”")
    expect(results.get_by_role("link", name=LEGAL_SERVICE)).to_be_visible()
    site.screenshots.take(officer, "list-search")
    officer.locator("summary", has_text="Type of council").click()
    officer.get_by_label("Non-metropolitan district").check()
    expect(officer.locator(".app-active-filters")).to_contain_text("Non-metropolitan district")
    expect(officer.get_by_role("link", name=LEGAL_SERVICE)).to_have_count(0)  # two London boroughs
    # Drop that filter, and ask for shared services instead.
    officer.get_by_role("link", name="Remove filter Type of council: Non-metropolitan district").click()
    expect(officer.locator(".app-active-filters")).to_have_count(0)
    officer.get_by_label("Shared services").check()
    expect(officer.locator(".app-active-filters")).to_contain_text("Shared services")
    officer.get_by_role("link", name=LEGAL_SERVICE).click()
    expect(officer.locator("h1")).to_have_text(LEGAL_SERVICE)
    site.screenshots.take(officer, "case-study")

    # Contacting the team needs a council email: signing in comes back to the form.
    officer.get_by_role("link", name="Contact the team").click()
    expect(officer.locator(".govuk-inset-text").first).to_contain_text("Sign in to contact the team")
    site.screenshots.take(officer, "sign-in")
    sign_in(officer, site, officer_email)
    expect(officer.locator("h1")).to_have_text("Contact the team")
    site.screenshots.take(officer, "contact-form")

    officer.get_by_label("A call with the team").check()
    officer.get_by_label("Subject").fill("Sharing your legal service with a Devon district")
    officer.get_by_label("Your message").fill(
        "We are a small district with one solicitor. Could we buy advice from HB Public Law, "
        "and what did it cost your first client councils?"
    )
    officer.get_by_label("Your name").fill("Sam Jones")
    officer.get_by_role("button", name="Send message").click()
    # A mistake on the way: the role was left out.
    expect(officer.locator(".govuk-error-summary")).to_contain_text("Enter your role")
    officer.get_by_label("Your role").fill("Monitoring Officer")
    officer.get_by_role("button", name="Send message").click()
    expect(officer.locator("h1")).to_have_text("Message sent")

    relayed = site.inbox.wait_for(to=team_address, subject="Sharing your legal service")
    assert relayed["Reply-To"] == officer_email
    assert "Could we buy advice from HB Public Law" in body(relayed)
    assert "Sam Jones, Monitoring Officer at West Devon" in body(relayed)
    assert len(shown) > 10
    assert [url for url, text in shown.items() if team_address in text] == []


def test_an_officer_follows_a_theme_hears_of_a_new_case_study_and_unsubscribes(site):
    pending = _submitted_housing_case_study()
    follower_email = "pat.lee@oldham.gov.uk"
    follower = site.new_browser()

    # From the home page's themes to the list filtered to one, then follow it.
    follower.goto(site.url + "/")
    follower.get_by_role("link", name="Housing and homelessness").click()
    expect(follower.locator(".app-active-filters")).to_contain_text("Housing and homelessness")
    follower.get_by_role("link", name="Sign in").last.click()
    sign_in(follower, site, follower_email)
    expect(follower.locator(".app-active-filters")).to_contain_text("Housing and homelessness")
    follower.get_by_label("as soon as one is published").check()
    follower.get_by_role("button", name="Follow this search").click()
    expect(follower.locator(".govuk-notification-banner")).to_contain_text("You are following")
    following = follower.locator("#following + ul")
    expect(following).to_contain_text("Housing and homelessness")
    expect(following).to_contain_text("as soon as one is published")
    site.screenshots.take(follower, "account")

    # A curator, signed in by their own link, publishes a housing case study.
    curator = site.new_browser()
    curator.goto(site.url + "/sign-in/")
    sign_in(curator, site, "curator@showcase.localhost")
    expect(curator.locator("h1")).to_have_text("Review queue")
    _publish(curator, site, pending.title)

    alert = site.inbox.wait_for(to=follower_email, subject=pending.title)
    assert f"/case-studies/{pending.slug}/" in body(alert)
    assert alert["List-Unsubscribe"]
    follower.goto(link_in(alert, f"/case-studies/{pending.slug}/"))
    expect(follower.locator("h1")).to_have_text(pending.title)

    # Unsubscribe from the email, and the account page agrees.
    follower.goto(link_in(alert, "/alerts/unsubscribe/"))
    expect(follower.locator("main")).to_contain_text("Housing and homelessness")
    follower.get_by_role("button", name="Stop these emails").click()
    expect(follower.locator("h1")).to_have_text("You will not get these emails")
    follower.goto(site.url + "/account/")
    expect(follower.locator("main")).not_to_contain_text("Housing and homelessness")
    expect(follower.locator("#following + p")).to_contain_text("Nothing yet")
    assert len(site.inbox.about(to=follower_email, subject=pending.title)) == 1


SUBMITTED = "One building control team for South Hams and West Devon"


def test_an_officer_writes_a_case_study_over_three_visits_and_a_curator_publishes_it(site):
    author_email = "jo.ward@southhams.gov.uk"
    visitor = site.new_browser()
    visitor.goto(site.url + "/case-studies/?q=building+control")
    expect(visitor.locator("main")).not_to_contain_text(SUBMITTED)  # and the page is in the cache

    _first_visit(site.new_browser(), site, author_email)
    _second_visit(site.new_browser(), site, author_email)
    author = site.new_browser()
    _third_visit(author, site, author_email)
    visitor.reload()
    expect(visitor.locator("main")).not_to_contain_text(SUBMITTED)  # waiting for review is not public

    curator = site.new_browser()
    curator.goto(site.url + "/")
    menu(curator, "Sign in").click()
    sign_in(curator, site, "curator@showcase.localhost")
    expect(curator.locator("h1")).to_have_text("Review queue")
    site.screenshots.take(curator, "review-queue")
    _publish(curator, site, SUBMITTED, screenshot=True)

    # Published: in search for anyone (once the worker has indexed it), and the author is told.
    reload_until(visitor, lambda: visitor.get_by_role("link", name=SUBMITTED).count() > 0)
    visitor.get_by_role("link", name=SUBMITTED).click()
    expect(visitor.locator("h1")).to_have_text(SUBMITTED)
    expect(visitor.locator("main")).to_contain_text("£180,000")
    told = site.inbox.wait_for(to=author_email, subject="published")
    author.goto(link_in(told, "/case-studies/"))
    expect(author.locator("h1")).to_have_text(SUBMITTED)
    assert len(site.inbox.about(to=author_email, subject="published")) == 1
    assert site.inbox.about(to="curators@showcase.localhost", subject=SUBMITTED), "curators not told"


def reload_until(page, condition, timeout: float = 15) -> None:
    """Look again, as a person would, until `condition` holds: work after a publish is the worker's."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{page.url} still shows the old page after {timeout}s"
        time.sleep(0.5)
        page.reload()


def save(page) -> None:
    page.get_by_role("button", name="Save and continue").click()


def status_of(page, task: str):
    item = page.locator(".govuk-task-list__item").filter(has=page.get_by_text(task, exact=True))
    return item.locator(".govuk-task-list__status")


def _first_visit(page, site, email: str) -> None:
    """Signs in from the menu, names the reform, and gets the money right at the second try."""
    page.goto(site.url + "/")
    menu(page, "Sign in").click()
    sign_in(page, site, email)
    menu(page, "Share a reform").click()
    site.screenshots.take(page, "submission-task-list")
    page.get_by_role("link", name="About the reform").click()
    site.screenshots.take(page, "submission-first-topic")
    page.get_by_label("Title").fill(SUBMITTED)
    page.get_by_label("Summary").fill(
        "Two district councils run one building control service with one manager and one set of fees."
    )
    save(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your draft has been saved")
    page.get_by_role("link", name="Evidence and money").click()
    page.get_by_label("Recurring savings a year").fill("£180,000 a year")
    save(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the recurring savings a year as a number"
    )
    page.get_by_label("Recurring savings a year").fill("£180,000")
    save(page)
    expect(status_of(page, "Evidence and money")).to_have_text("Completed")
    page.context.close()  # the end of the day


def _second_visit(page, site, email: str) -> None:
    """Back to the draft from the account page, after signing in again; forgets the lessons."""
    page.goto(site.url + "/account/")
    sign_in(page, site, email)
    page.get_by_role("link", name=SUBMITTED).click()
    expect(status_of(page, "About the reform")).to_have_text("Completed")
    page.get_by_role("link", name="Reform types and themes").click()
    page.get_by_label("Shared services").check()
    page.get_by_label("Regulatory services").check()
    save(page)
    page.get_by_role("link", name="What you did").click()
    page.get_by_label("Challenge").fill("Each council struggled to keep qualified surveyors.")
    page.get_by_label("Approach").fill("- One team across both councils\n- One fee schedule")
    save(page)
    page.get_by_role("link", name="What happened").click()
    page.get_by_label("Outcomes").fill("Applications are decided in three weeks instead of six.")
    page.get_by_label("Implemented").check()
    started = page.get_by_role("group", name="When the reform started")
    started.get_by_label("Month").fill("4")
    started.get_by_label("Year").fill("2016")
    save(page)
    expect(status_of(page, "What happened")).to_have_text("Incomplete")
    page.context.close()


def _third_visit(page, site, email: str) -> None:
    """Checks, is told what is missing, puts it right and submits."""
    page.goto(site.url + "/account/")
    sign_in(page, site, email)
    page.get_by_role("link", name=SUBMITTED).click()
    page.get_by_role("link", name="Check your answers and submit").click()
    expect(page.locator("main")).to_contain_text("£180,000")
    page.get_by_role("button", name="Submit for review").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Describe the lessons learnt")
    summary.get_by_role("link", name="Describe the lessons learnt").click()
    page.get_by_label("Lessons learnt").fill("Agree the fee split before the first shared job.")
    save(page)
    page.get_by_role("link", name="Check your answers and submit").click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been sent for review")
    expect(page.locator("main")).to_contain_text("Waiting for review")


def _publish(curator, site, title: str, *, screenshot: bool = False) -> None:
    curator.get_by_role("link", name=title).click()
    curator.get_by_role("button", name="Publish").click()
    expect(curator.locator("h1")).to_have_text("Publish this case study?")
    if screenshot:
        site.screenshots.take(curator, "publish-confirmation")
    curator.get_by_role("button", name="Yes, publish it").click()
    expect(curator.locator(".govuk-notification-banner")).to_contain_text(f"“{title}” is published")


def _submitted_housing_case_study():
    """The world the follower's journey starts in: another council's officer has
    already sent a housing case study for review (the submission journey shows
    how that is done through the pages)."""
    council = Council.objects.get(code="WGN")
    return CaseStudyFactory(
        title="A council lettings agency for private renters in Wigan",
        slug="wigan-council-lettings-agency",
        summary="Wigan runs its own lettings agency, so private renters get a fair landlord and tenancy.",
        publication_state=PublicationState.SUBMITTED,
        published_at=None,
        submitted_at=timezone.now(),
        created_by=officer_of(council, "kim@wigan.gov.uk"),
        lead=council,
        reform_type_slugs=["trading-company"],
        theme_slugs=["housing"],
    )
