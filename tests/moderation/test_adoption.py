"""The adoption trail: officers say their council adopted a reform; curators
approve; the original shows its adopters, the adopter's page shows what it
adopted, and search sorts by most adopted and filters on adopted elsewhere."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from casestudies.models import Adoption, AdoptionState, CaseStudy
from councils.models import Membership
from tests.factories import CaseStudyFactory, CouncilFactory, officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def original(db):
    return CaseStudyFactory(title="Shared legal team", lead=CouncilFactory(name="South Hams"))


@pytest.fixture
def adopter(db):
    return officer_of(CouncilFactory(name="Torridge", code="TOR"), "al@torridge.gov.uk")


@pytest.fixture
def curator(db):
    return User.objects.create(username="cat@network.org", email="cat@network.org", is_staff=True)


def report(client, study, user, **overrides):
    client.force_login(user)
    data = {
        "council": user.council.pk,
        "adopted_year": "2019",
        "adopted_month": "4",
        "changes": "We kept our own manager for the first year.",
        "status": "implemented",
        "outcomes": "Fees to outside solicitors fell by a third.",
        "annual_savings_gbp": "45000",
        **overrides,
    }
    return client.post(reverse("moderation:report-adoption", args=[study.slug]), data)


def test_an_adoption_waits_for_a_curator_then_shows_on_both_pages(
    client, original, adopter, curator, settings
):
    response = report(client, original, adopter)

    assert response.status_code == 302
    adoption = Adoption.objects.get()
    assert adoption.state == AdoptionState.SUBMITTED
    assert mail.outbox[-1].to == [settings.CURATORS_EMAIL]
    assert "Torridge" not in client.get(original.get_absolute_url()).content.decode()

    client.force_login(curator)
    queue = client.get(reverse("review:queue")).content.decode()
    assert "Adoption by Torridge" in queue
    client.post(reverse("review:adoption-action", args=[adoption.pk, "approve"]))

    assert mail.outbox[-1].to == [adopter.email]
    page = client.get(original.get_absolute_url()).content.decode()
    assert "Adopted elsewhere" in page and "Torridge" in page
    assert "We kept our own manager for the first year." in page and "£45,000" in page
    council_page = client.get(reverse("councils:detail", args=["tor"])).content.decode()
    assert "Shared legal team" in council_page
    assert CaseStudy.objects.get(pk=original.pk).adoption_count == 1
    api = client.get(reverse("api:case-study-detail", args=[original.slug])).json()
    assert api["adopters"][0]["council"] == "TOR" and api["adopters"][0]["adopted"] == "2019-04"


def test_rejecting_needs_a_reason_and_hides_it(client, original, adopter, curator):
    report(client, original, adopter)
    adoption = Adoption.objects.get()
    client.force_login(curator)

    refused = client.post(reverse("review:adoption-action", args=[adoption.pk, "reject"]), follow=True)
    assert "Enter the reason" in refused.content.decode()
    client.post(reverse("review:adoption-action", args=[adoption.pk, "reject"]), {"message": "Not yet live."})

    assert Adoption.objects.get().state == AdoptionState.REJECTED
    assert "Not yet live." in mail.outbox[-1].body and mail.outbox[-1].to == [adopter.email]


def test_councils_behind_the_reform_cannot_report_adopting_it(client, original):
    lead_officer = User.objects.create(username="jo@southhams.gov.uk")
    Membership.objects.create(user=lead_officer, council=original.lead_council, status="confirmed")
    client.force_login(lead_officer)

    assert client.get(reverse("moderation:report-adoption", args=[original.slug])).status_code == 403


def test_bad_input_is_explained_and_nothing_saved(client, original, adopter):
    response = report(client, original, adopter, adopted_year="next year", changes="", adopted_month="13")

    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter the year your council adopted it as 4 digits, like 2019" in html
    assert "Describe what you changed" in html
    assert "Enter the month your council adopted it as a number from 1 to 12" in html
    assert not Adoption.objects.exists()


def test_savings_are_typed_the_ways_people_write_money_and_the_month_by_name(client, original, adopter):
    response = report(client, original, adopter, annual_savings_gbp="£45k", adopted_month="April")

    assert response.status_code == 302
    adoption = Adoption.objects.get()
    assert (adoption.annual_savings_gbp, adoption.adopted_year, adoption.adopted_month) == (45000, 2019, 4)


def test_a_control_character_pasted_into_what_happened_is_refused_naming_the_box(client, original, adopter):
    response = report(client, original, adopter, outcomes="Fees fell\x0b by a third.")

    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_outcomes"' in html and "invisible control character" in html
    assert not Adoption.objects.exists()


def test_one_council_reports_an_adoption_once(client, original, adopter):
    report(client, original, adopter)

    again = report(client, original, adopter)

    assert again.status_code == 400
    assert "Torridge has already recorded adopting this reform" in again.content.decode()


def test_search_sorts_by_most_adopted_and_filters_adopted_elsewhere(client, curator):
    from moderation.adoption import adoption_approve

    never = CaseStudyFactory(title="Never adopted")
    once = CaseStudyFactory(title="Adopted once")
    twice = CaseStudyFactory(title="Adopted twice")
    for study, count in [(once, 1), (twice, 2)]:
        for _ in range(count):
            adoption = Adoption.objects.create(
                case_study=study,
                council=CouncilFactory(),
                adopted_year=2020,
                changes="c",
                status="implemented",
                outcomes="o",
            )
            adoption_approve(adoption, curator)

    ordered = client.get(reverse("casestudies:list") + "?sort=adopted").content.decode()
    filtered = client.get(reverse("casestudies:list") + "?adopted=yes").content.decode()

    assert ordered.index("Adopted twice") < ordered.index("Adopted once") < ordered.index("Never adopted")
    assert "Adopted twice" in filtered and "Adopted once" in filtered and "Never adopted" not in filtered
    api = client.get(reverse("api:case-study-list") + "?adopted=yes&sort=adopted").json()
    assert [r["title"] for r in api["results"]] == ["Adopted twice", "Adopted once"]
    assert never.adoption_count == 0
