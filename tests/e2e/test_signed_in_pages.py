"""Pages behind sign-in, checked in a real browser: axe-core WCAG 2.x A and AA
with and without JavaScript, forms showing errors, and the contact journey by
keyboard alone."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, signed_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STUDY = "/case-studies/south-hams-west-devon-shared-services/"


@pytest.fixture
def officer(demo):
    from councils.models import Council, Membership

    user = User.objects.create(username="al@torridge.gov.uk", email="al@torridge.gov.uk")
    council = Council.objects.filter(case_study_roles__isnull=True, end_date__isnull=True).first()
    Membership.objects.create(user=user, council=council, status="confirmed")
    return user


@pytest.fixture
def curator(demo):
    return User.objects.create(username="cat@network.org", email="cat@network.org", is_staff=True)


@pytest.fixture
def work_in_progress(officer, curator):
    """Something in every curator list: a submission, a proposed edit, an adoption, a stale study."""
    import datetime

    from casestudies.models import Adoption, CaseStudy
    from moderation import transitions as moderation
    from moderation.models import ProposedEdit
    from peers.alerts import follow_create

    studies = list(CaseStudy.objects.published().order_by("pk")[:3])
    studies[0].publication_state = "submitted"
    studies[0].created_by = officer
    studies[0].save()
    edit = ProposedEdit.objects.create(
        case_study=studies[1], data={"title": [studies[1].title]}, created_by=officer
    )
    moderation.record(studies[1], moderation.Action.EDIT_PROPOSED, officer, edit=edit)
    Adoption.objects.create(
        case_study=studies[2],
        council=officer.memberships.get().council,
        adopted_year=2020,
        changes="Kept our own manager.",
        status="implemented",
        outcomes="It worked.",
        created_by=officer,
    )
    CaseStudy.objects.filter(pk=studies[2].pk).update(last_confirmed_at=datetime.date(2020, 1, 1))
    from django.http import QueryDict

    follow_create(user=officer, data=QueryDict("theme=housing"), frequency="weekly")
    return {"submission": studies[0], "edit": edit, "stale": studies[2]}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_officer_pages_have_no_wcag_aa_violations(
    live_server, officer, work_in_progress, browser, axe, javascript
):
    page = signed_in(browser, live_server, officer, javascript=javascript)
    for path in [
        "/account/",
        "/submissions/new/",
        "/submissions/new/about/",
        f"{STUDY}contact/",
        f"{STUDY}adopted/",
        f"/submissions/edits/{work_in_progress['edit'].pk}/",
    ]:
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        assert_no_axe_violations(axe, page)
    # Forms showing errors.
    page.goto(live_server.url + "/submissions/new/about/")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(axe, page)
    page.goto(live_server.url + f"{STUDY}contact/")
    page.get_by_role("button", name="Send message").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a subject")
    assert_no_axe_violations(axe, page)
    page.goto(live_server.url + f"{STUDY}adopted/")
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Describe what you changed")
    assert_no_axe_violations(axe, page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_curator_pages_have_no_wcag_aa_violations(
    live_server, curator, work_in_progress, browser, axe, javascript
):
    from casestudies.models import Adoption

    page = signed_in(browser, live_server, curator, javascript=javascript)
    for path in [
        "/review/",
        f"/review/case-studies/{work_in_progress['submission'].pk}/",
        f"/review/case-studies/{work_in_progress['stale'].pk}/",
        f"/review/edits/{work_in_progress['edit'].pk}/",
        f"/review/adoptions/{Adoption.objects.get().pk}/",
        "/review/contact/",
    ]:
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        assert_no_axe_violations(axe, page)


def test_emailed_link_pages_have_no_wcag_aa_violations(live_server, officer, work_in_progress, page, axe):
    from moderation.transitions import check_token
    from peers.alerts import unsubscribe_token

    for path in [
        f"/case-studies/still-accurate/{check_token(work_in_progress['stale'])}/",
        f"/alerts/unsubscribe/{unsubscribe_token(officer.follows.get())}/",
    ]:
        page.goto(live_server.url + path)
        assert_no_axe_violations(axe, page)


def tab_until(page, pattern: str, limit: int = 120) -> None:
    """Press Tab until the focused element's text or label matches; fail rather than loop."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate(
            "(document.activeElement.innerText || document.activeElement.labels?.[0]?.innerText "
            "|| document.activeElement.value || '').trim()"
        )
        if re.search(pattern, text):
            return
    raise AssertionError(f"Tab never reached {pattern!r}")


def focus_is_visible(page) -> bool:
    return page.evaluate("""() => {
        const style = getComputedStyle(document.activeElement);
        return style.outlineStyle !== 'none' || style.boxShadow !== 'none'
            || style.backgroundColor === 'rgb(255, 221, 0)';
    }""")


def test_contacting_a_team_by_keyboard_alone(live_server, officer, browser):
    page = signed_in(browser, live_server, officer)
    page.goto(live_server.url + STUDY)

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    tab_until(page, r"^Contact the team")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Contact the team")

    # The form, in the order it is read, with nothing skipped and no trap.
    tab_until(page, r"^A call with the team")
    page.keyboard.press("Space")
    order = []
    for value in [
        "Sharing revenues with a neighbour",
        "We are planning a shared revenues service with our neighbour and would value a call.",
        "Al Jones",
        "Revenues Manager",
        None,
    ]:
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.name"))
        assert focus_is_visible(page)
        if value:
            page.keyboard.type(value)
    page.keyboard.press("Tab")  # the hidden honeypot is skipped
    assert page.evaluate("document.activeElement.textContent.trim()") == "Send message"
    assert order == ["subject", "message", "sender_name", "sender_role", "sender_council"]
    page.keyboard.press("Enter")

    expect(page.locator(".govuk-panel")).to_contain_text("Your message was sent to the")
    relayed = mail.outbox[-1]
    assert relayed.reply_to == ["al@torridge.gov.uk"] and "would value a call" in relayed.body
    assert relayed.to[0] not in page.content()


@pytest.mark.parametrize(
    "viewport", [{"width": 320, "height": 640}, {"width": 640, "height": 400}], ids=["320px", "200%-zoom"]
)
def test_signed_in_pages_need_no_sideways_scrolling(
    live_server, curator, officer, work_in_progress, browser, viewport
):
    from casestudies.models import Adoption

    pages = {
        officer: [
            "/account/",
            "/submissions/new/",
            "/submissions/new/about/",
            f"{STUDY}contact/",
            f"{STUDY}adopted/",
        ],
        curator: [
            "/review/",
            f"/review/edits/{work_in_progress['edit'].pk}/",
            f"/review/case-studies/{work_in_progress['submission'].pk}/",
            f"/review/adoptions/{Adoption.objects.get().pk}/",
            "/review/contact/",
        ],
    }
    for user, paths in pages.items():
        page = signed_in(browser, live_server, user)
        page.set_viewport_size(viewport)
        for path in paths:
            page.goto(live_server.url + path)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, path
