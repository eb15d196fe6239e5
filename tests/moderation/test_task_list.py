"""The submission as GOV.UK's task list: one topic a page, each saved as the
officer goes, even with other topics unfinished or mistakes on the page (the
rest of the page is saved, and all that was typed comes back); submitted only
from the check page, whose errors link to the topic and the field."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from casestudies.models import SUMMARY_MAX_LENGTH, CaseStudy, PublicationState, ReformType
from moderation.topics import TOPICS
from tests.factories import CouncilFactory, officer_of
from tests.moderation.drafting import save_topic, start, submit, topic_url, write
from tests.moderation.test_submission import complete

pytestmark = pytest.mark.django_db

# The session, the user, the case study with its councils, vocabularies, links, documents and
# history, and saving the session: however many councils, themes or documents it has.
QUERY_BUDGET = 12


@pytest.fixture
def officer(db):
    return officer_of(CouncilFactory(name="South Hams"), "jo@southhams.gov.uk")


@pytest.fixture
def draft(client, officer) -> CaseStudy:
    client.force_login(officer)
    return write(client, {"title": "Joint legal team", "lead_council": officer.council.pk})


def statuses(html: str) -> dict[str, str]:
    """Each task's name and status, as the task list shows them."""
    found = re.findall(
        r'<div class="govuk-task-list__name-and-hint">\s*(?:<a [^>]*>|<div>)([^<]+)<.*?'
        r'class="govuk-task-list__status[^"]*"[^>]*>(?:<strong [^>]*>)?([^<]+)<',
        html,
        re.DOTALL,
    )
    return {name.strip(): status.strip() for name, status in found}


def test_a_new_case_study_starts_with_its_first_topic(client, officer):
    client.force_login(officer)

    html = client.get(reverse("submissions:new")).content.decode()

    assert statuses(html) == {
        "About the reform": "Not yet started",
        "Reform types and themes": "Cannot start yet",
        "What you did": "Cannot start yet",
        "What happened": "Cannot start yet",
        "Evidence and money": "Cannot start yet",
        "Contact": "Cannot start yet",
        "Documents": "Cannot start yet",
    }
    assert f'href="{reverse("submissions:start")}"' in html
    assert html.count("govuk-task-list__link") == 1


def test_the_task_list_says_how_far_each_topic_has_got(client, officer, draft):
    save_topic(client, draft, "what-you-did", {"challenge": "Small teams.", "approach": "One team."})
    save_topic(client, draft, "what-happened", {"outcomes": "Lower fees.", "started_year": "2014"})
    save_topic(client, draft, "contact", {"contact_role": "Head of Legal"})

    html = client.get(reverse("submissions:edit", args=[draft.pk])).content.decode()

    assert statuses(html) == {
        "About the reform": "Incomplete",  # a title and a council, but no summary yet
        "Reform types and themes": "Not yet started",
        "What you did": "Completed",
        "What happened": "Incomplete",  # no lessons or status yet
        "Evidence and money": "Not yet started",
        "Contact": "Completed",  # nothing in it is required
        "Documents": "Not yet started",
        "Check your answers and submit": "Cannot submit yet",
    }
    assert "You have completed 2 of 7 sections" in html
    for topic in TOPICS:
        assert f'href="{topic_url(draft, topic)}"' in html


def test_once_everything_required_is_there_it_is_ready_to_submit(client, officer):
    client.force_login(officer)
    reform_type = ReformType.objects.get(slug="shared-services")
    study = write(client, complete(officer.council, reform_types=[str(reform_type.pk)]))

    html = client.get(reverse("submissions:edit", args=[study.pk])).content.decode()

    assert statuses(html)["Check your answers and submit"] == "Ready to submit"
    assert [status for name, status in statuses(html).items() if name in {t.title for t in TOPICS[:4]}] == [
        "Completed"
    ] * 4


def test_save_and_continue_saves_a_topic_while_others_are_unfinished(client, draft):
    response = save_topic(client, draft, "evidence-and-money", {"annual_savings_gbp": "£350,000"})

    assert response.status_code == 302 and response["Location"] == reverse(
        "submissions:edit", args=[draft.pk]
    )
    draft.refresh_from_db()
    assert draft.annual_savings_gbp == 350_000
    assert draft.publication_state == PublicationState.DRAFT
    assert "Your draft has been saved" in client.get(response["Location"]).content.decode()


def test_a_topic_with_a_mistake_saves_the_rest_and_shows_back_all_that_was_typed(client, draft):
    typed = {
        "evidence_level": "3",
        "annual_savings_gbp": "350k",
        "one_off_savings_gbp": "about £20,000",
        "investment_gbp": "£1.2m",
        "savings_notes": "Audited in 2016.",
    }

    response = save_topic(client, draft, "evidence-and-money", typed)

    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert '<a href="#id_one_off_savings_gbp">Enter the one-off savings as a number, like 350000</a>' in html
    for value in ["350k", "about £20,000", "£1.2m"]:
        assert f'value="{value}"' in html
    assert "Audited in 2016.</textarea>" in html and 'value="3" checked' in html
    assert "Everything else on this page has been saved" in html
    draft.refresh_from_db()
    assert (draft.annual_savings_gbp, draft.investment_gbp, draft.evidence_level) == (350_000, 1_200_000, 3)
    assert draft.savings_notes == "Audited in 2016." and draft.one_off_savings_gbp is None
    # The page shown again is at the version now saved, so putting the mistake right just works.
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    assert version == str(draft.version)
    again = client.post(
        topic_url(draft, "evidence-and-money"),
        {**typed, "one_off_savings_gbp": "£20,000", "version": version},
    )
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.one_off_savings_gbp == 20_000


def test_a_month_by_name_is_saved_and_a_wrong_one_is_shown_back_naming_the_box(client, draft):
    url = topic_url(draft, "what-happened")

    wrong = save_topic(client, draft, "what-happened", {"outcomes": "Fees fell.", "started_month": "Apirl",
                                                       "started_year": "2019"})  # fmt: skip

    html = wrong.content.decode()
    assert wrong.status_code == 400
    message = "Enter the month the reform started as a number from 1 to 12 or its name, like 4 or April"
    assert f'<a href="#id_started_month">{message}</a>' in html
    assert 'value="Apirl"' in html and 'value="2019"' in html
    assert html.count("govuk-input--error") == 1
    assert "For example, 4 2019" in html
    draft.refresh_from_db()
    assert draft.outcomes == "Fees fell." and draft.started_year is None

    right = save_topic(client, draft, "what-happened", {"outcomes": "Fees fell.", "started_month": "April",
                                                       "started_year": "2019"})  # fmt: skip

    assert right.status_code == 302
    draft.refresh_from_db()
    assert (draft.started_year, draft.started_month) == (2019, 4)
    assert 'value="4"' in client.get(url).content.decode()


def test_a_first_page_without_a_title_saves_nothing_and_keeps_what_was_typed(client, officer):
    client.force_login(officer)

    response = start(
        client, {"title": "", "summary": "Two districts, one team.", "lead_council": officer.council.pk}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_title">Enter a title</a>' in html
    assert "Two districts, one team.</textarea>" in html
    assert not CaseStudy.objects.exists()


def test_a_first_page_with_a_title_starts_the_draft_even_with_a_mistake_elsewhere(client, officer):
    client.force_login(officer)

    response = start(
        client,
        {"title": "Joint legal team", "summary": "x" * (SUMMARY_MAX_LENGTH + 1),
         "lead_council": officer.council.pk, "partners_text": "Devon County Council"},
    )  # fmt: skip

    html = response.content.decode()
    study = CaseStudy.objects.get()
    assert response.status_code == 400
    assert f"The summary must be {SUMMARY_MAX_LENGTH} characters or fewer" in html
    assert "x" * (SUMMARY_MAX_LENGTH + 1) in html
    assert study.title == "Joint legal team" and study.partners == ["Devon County Council"]
    assert study.summary == ""
    # Saving the page again saves this draft, not a second one.
    assert f'action="{topic_url(study, "about")}"' in html


def test_the_check_page_refuses_to_submit_with_something_missing_and_links_to_it(client, officer, draft):
    save_topic(client, draft, "what-you-did", {"challenge": "Small teams.", "approach": "One team."})

    response = submit(client, draft)

    html = response.content.decode()
    assert response.status_code == 400
    problems = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', html)
    assert problems == [
        (f"{topic_url(draft, 'about')}#id_summary", "Enter a summary"),
        (f"{topic_url(draft, 'reform-types')}#id_reform_types", "Choose at least one reform type"),
        (f"{topic_url(draft, 'what-happened')}#id_outcomes", "Describe what happened"),
        (f"{topic_url(draft, 'what-happened')}#id_lessons", "Describe the lessons learnt"),
        (f"{topic_url(draft, 'what-happened')}#id_status", "Choose the status of the reform"),
        (f"{topic_url(draft, 'what-happened')}#id_started_year", "Enter the year the reform started"),
    ]
    draft.refresh_from_db()
    assert draft.publication_state == PublicationState.DRAFT
    # Each link leads to a page holding the box it names.
    assert 'id="id_started_year"' in client.get(topic_url(draft, "what-happened")).content.decode()


def test_the_check_page_shows_every_answer_with_a_link_to_change_it(client, officer):
    client.force_login(officer)
    study = write(client, complete(officer.council, annual_savings_gbp="350k", started_month="apr"))

    html = client.get(reverse("submissions:check", args=[study.pk])).content.decode()

    for answer in ["Joint legal team", "South Hams", "Devon County Council legal team", "One team<br>",
                   "Implemented", "April 2014", "£350,000", "Head of Legal"]:  # fmt: skip
        assert answer in html
    for topic in TOPICS:
        assert f'href="{topic_url(study, topic)}">Change' in html
    assert "Submit for review" in html


def test_a_check_page_opened_before_someone_else_saved_submits_nothing(client, officer):
    client.force_login(officer)
    reform_type = ReformType.objects.get(slug="shared-services")
    study = write(client, complete(officer.council, reform_types=[str(reform_type.pk)]))
    opened_at = study.version
    save_topic(client, study, "contact", {"contact_role": "Head of Law"})

    response = client.post(reverse("submissions:check", args=[study.pk]), {"version": opened_at})

    assert response.status_code == 409
    assert "has changed since you opened this page" in response.content.decode()
    assert "Head of Law" in response.content.decode()
    study.refresh_from_db()
    assert study.publication_state == PublicationState.DRAFT
    assert submit(client, study).status_code == 302


def test_a_curators_edit_past_the_draft_is_saved_whole_or_not_at_all(client, officer):
    client.force_login(officer)
    reform_type = ReformType.objects.get(slug="shared-services")
    study = write(client, complete(officer.council, reform_types=[str(reform_type.pk)]), submit_it=True)
    client.force_login(User.objects.create(username="cat@network.org", is_staff=True))

    response = save_topic(client, study, "evidence-and-money", {"annual_savings_gbp": "350k",
                                                               "investment_gbp": "plenty"})  # fmt: skip

    assert response.status_code == 400 and 'value="plenty"' in response.content.decode()
    assert "Everything else on this page has been saved" not in response.content.decode()
    study.refresh_from_db()
    assert study.annual_savings_gbp is None and study.publication_state == PublicationState.SUBMITTED


def test_documents_have_a_page_of_their_own(client, draft):
    html = client.get(topic_url(draft, "documents")).content.decode()

    assert "Upload document" in html
    assert client.post(topic_url(draft, "documents")).status_code == 405


def test_an_unknown_topic_is_not_found(client, draft):
    assert client.get(topic_url(draft, "gossip")).status_code == 404


@pytest.mark.parametrize(
    ("topic", "field", "typed", "words"),
    [
        ("about", "title", "x" * 201, "Title"),
        ("about", "summary", "x" * (SUMMARY_MAX_LENGTH + 1), "summary"),
        ("about", "lead_council", "999999", "lead council"),
        ("about", "partner_councils", "Atlantis", "councils"),
        ("about", "partners_text", "x" * 2001, "partner organisations"),
        ("reform-types", "reform_types", "999999", "reform types"),
        ("reform-types", "themes", "999999", "themes"),
        ("what-you-did", "challenge", "\x1b", "Challenge"),
        ("what-you-did", "approach", "\x00", "Approach"),
        ("what-happened", "status", "sideways", "status of the reform"),
        ("what-happened", "started_year", "19", "year the reform started"),
        ("what-happened", "started_month", "Smarch", "month the reform started"),
        ("evidence-and-money", "evidence_level", "9", "strength of evidence"),
        ("evidence-and-money", "annual_savings_gbp", "lots", "recurring savings a year"),
        ("evidence-and-money", "one_off_savings_gbp", "£1.5p", "one-off savings"),
        ("evidence-and-money", "investment_gbp", "some", "investment"),
        ("contact", "contact_role", "x" * 151, "Contact role"),
        ("contact", "contact_name", "x" * 151, "Contact name"),
        ("contact", "contact_email", "jo at council", "contact's email address"),
    ],
)
def test_every_error_names_its_field(client, officer, draft, topic, field, typed, words):
    data = {"started_year": "2019"} if field == "started_month" else {}
    if topic == "about":
        data.update(title="Joint legal team", lead_council=officer.council.pk)

    response = save_topic(client, draft, topic, {**data, field: typed})

    html = response.content.decode()
    messages = [unescape(text) for text in re.findall(r'<li><a href="#[^"]+">([^<]+)</a></li>', html)]
    assert response.status_code == 400
    assert len(messages) == 1 and words.lower() in messages[0].lower(), messages
    assert "Enter a whole number" not in html


def test_the_task_list_and_the_check_page_cost_a_fixed_number_of_queries(
    client, officer, django_assert_max_num_queries
):
    client.force_login(officer)
    reform_type = ReformType.objects.get(slug="shared-services")
    CouncilFactory(name="West Devon")
    data = complete(officer.council, reform_types=[str(reform_type.pk)], partner_councils="West Devon")
    study = write(client, {**data, "themes": ["1", "2", "3"]})

    with django_assert_max_num_queries(QUERY_BUDGET):
        client.get(reverse("submissions:edit", args=[study.pk]))
    with django_assert_max_num_queries(QUERY_BUDGET):
        client.get(reverse("submissions:check", args=[study.pk]))
