import datetime
import re

import pytest
from django.urls import reverse

from casestudies.models import PublicationState
from tests.factories import CaseStudyFactory, CouncilFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def test_the_list_shows_published_case_studies_and_hides_the_rest(client):
    CaseStudyFactory(title="Joint waste crews")
    CaseStudyFactory(title="Secret draft", publication_state=PublicationState.DRAFT, published_at=None)
    CaseStudyFactory(title="Waiting review", publication_state=PublicationState.SUBMITTED, published_at=None)

    response = client.get(reverse("casestudies:list"))

    assert response.status_code == 200
    assert b"Joint waste crews" in response.content
    assert b"Secret draft" not in response.content
    assert b"Waiting review" not in response.content
    assert b"1 case study" in response.content


def test_the_list_is_paginated_twenty_at_a_time(client):
    for number in range(25):
        CaseStudyFactory(title=f"Reform {number:02d}")

    first = client.get(reverse("casestudies:list"))
    second = client.get(reverse("casestudies:list") + "?page=2")

    assert first.content.count(b'class="app-shelf__item"') == 20
    assert second.content.count(b'class="app-shelf__item"') == 5
    assert b'href="?page=2"' in first.content


def test_a_filter_by_reform_type_narrows_the_list(client):
    CaseStudyFactory(title="Co-op borough", reform_type_slugs=["co-operative-council"])
    CaseStudyFactory(title="Joint crews", reform_type_slugs=["shared-services"])

    response = client.get(reverse("casestudies:list") + "?reform_type=co-operative-council")

    assert b"Co-op borough" in response.content
    assert b"Joint crews" not in response.content


def test_an_unknown_filter_value_is_explained_not_a_500(client):
    CaseStudyFactory()

    response = client.get(reverse("casestudies:list") + "?reform_type=nonsense")

    assert response.status_code == 200
    assert b"Some filters could not be used" in response.content
    assert b"nonsense is not one of the available choices" in response.content


def test_the_feed_of_a_list_with_a_filter_it_could_not_use_follows_what_the_list_shows(client):
    CaseStudyFactory(title="Joint legal team")

    html = client.get(reverse("casestudies:list") + "?q=legal&reform_type=nonsense").content.decode()
    feed = re.search(r'href="([^"]+)">Atom feed of these results', html).group(1)

    assert feed == "/case-studies/feed.atom?q=legal"
    assert client.get(feed).status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_the_list_costs_the_same_queries_for_5_or_50_case_studies(client, count, no_page_cache):
    for _ in range(count):
        CaseStudyFactory(partners_councils=[CouncilFactory()])

    # Cold: every facet counted in one query over the results, plus storing the counts in the shared cache;
    # each vocabulary read once, for the filter panel and the filters in use.
    assert count_queries(client, reverse("casestudies:list")) == 11
    # Warm: the counts come from the cache in one query.
    assert count_queries(client, reverse("casestudies:list")) == 6  # and they count the results too


def test_the_page_shows_every_part_of_a_case_study(client):
    lead = CouncilFactory(name="South Hams")
    partner = CouncilFactory(name="West Devon")
    study = CaseStudyFactory(
        title="One workforce for two councils",
        challenge="Tiny **budgets**.",
        approach="## Step one\nShared a chief executive.",
        outcomes="Saved a lot.",
        lessons="Agree the cost split first.",
        annual_savings_gbp=4600000,
        one_off_savings_gbp=None,
        investment_gbp=5400000,
        savings_notes="Reported by the councils.",
        evidence_level=3,
        started_year=2007,
        started_month=4,
        partners=["NHS Devon"],
        lead=lead,
        partners_councils=[partner],
        contact_email="private.person@secret.example",
        contact_role="Head of Strategy",
    )
    study.links.create(title="Annual report", url="https://example.org/report")

    response = client.get(study.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">One workforce for two councils</h1>' in html
    assert "<strong>budgets</strong>" in html
    assert "<h3>Step one</h3>" in html
    assert "Saved a lot." in html and "Agree the cost split first." in html
    assert "South Hams</a> \N{EN DASH} lead council" in html
    assert "West Devon</a> \N{EN DASH} partner council" in html
    assert "NHS Devon" in html
    assert "£4,600,000" in html and "£5,400,000" in html
    assert "Reported by the councils." in html
    assert "Level 3 of 5" in html
    assert "A control or comparison group shows" in html
    assert "April 2007" in html
    assert 'href="https://example.org/report"' in html
    assert "The Head of Strategy at South Hams can tell you more." in html
    assert "private.person" not in html
    assert "secret.example" not in html


def test_an_abolished_council_behind_a_reform_is_labelled(client):
    study = CaseStudyFactory(lead=CouncilFactory(name="Old Shire", end_date=datetime.date(2019, 3, 31)))

    html = client.get(study.get_absolute_url()).content.decode()

    assert "Old Shire</a> \N{EN DASH} lead council (since abolished)" in html


def test_the_way_to_the_team_comes_before_the_details_so_a_phone_need_not_scroll_past_them(client):
    study = CaseStudyFactory()

    html = client.get(study.get_absolute_url()).content.decode()

    jump = html.index('<a class="govuk-link" href="#contact-heading">Talk to the team behind this reform</a>')
    assert jump < html.index('<dl class="govuk-summary-list">') < html.index('id="contact-heading"')


def test_a_stopped_reform_says_so(client):
    study = CaseStudyFactory(status="stopped")

    response = client.get(study.get_absolute_url())

    assert b"This reform was stopped" in response.content


@pytest.mark.parametrize("state", [s for s in PublicationState.values if s != PublicationState.PUBLISHED])
def test_an_unpublished_case_study_is_not_found(client, state):
    study = CaseStudyFactory(publication_state=state, published_at=None)

    response = client.get(study.get_absolute_url())

    assert response.status_code == 404


def test_the_detail_page_costs_a_fixed_number_of_queries(client):
    for _ in range(3):
        CaseStudyFactory()  # so that related reforms are found for both pages
    study = CaseStudyFactory(partners_councils=[CouncilFactory() for _ in range(10)])
    few = count_queries(client, study.get_absolute_url())
    many = CaseStudyFactory(partners_councils=[CouncilFactory() for _ in range(30)])

    assert count_queries(client, many.get_absolute_url()) == few


def test_related_reforms_share_types_themes_or_wording_and_never_the_page_itself(client):
    study = CaseStudyFactory(title="Shared waste crews", reform_type_slugs=["shared-services"])
    same_type = CaseStudyFactory(
        title="Joint legal team", reform_type_slugs=["shared-services"], theme_slugs=["back-office"]
    )
    same_words = CaseStudyFactory(
        title="Waste crews in the county", reform_type_slugs=["digital"], theme_slugs=["housing"]
    )
    unrelated = CaseStudyFactory(
        title="Library volunteers",
        summary="Volunteers keep branch libraries open.",
        challenge="Closures.",
        approach="Volunteers.",
        outcomes="Open libraries.",
        lessons="Train volunteers.",
        reform_type_slugs=["community-assets"],
        theme_slugs=["libraries"],
    )
    CaseStudyFactory(title="Shared waste draft", publication_state="draft", published_at=None)

    html = client.get(study.get_absolute_url()).content.decode()
    related = html.split('id="related-heading"')[1].split("</ul>")[0]

    assert same_type.title in related
    assert same_words.title in related
    assert unrelated.title not in related
    assert "draft" not in related
    assert f'href="{study.get_absolute_url()}"' not in related


def test_at_most_five_related_reforms_are_shown(client):
    study = CaseStudyFactory()
    for _ in range(8):
        CaseStudyFactory()

    html = client.get(study.get_absolute_url()).content.decode()
    related = html.split('id="related-heading"')[1].split("</ul>")[0]

    assert related.count("<li>") == 5


def test_the_list_page_has_one_search_box_and_other_pages_keep_the_header_one(client):
    listing = client.get(reverse("casestudies:list"), {"q": "shared"}).content.decode()
    about = client.get(reverse("about")).content.decode()

    assert listing.count('type="search"') == 1 and 'value="shared"' in listing
    assert about.count('type="search"') == 1


def test_a_search_typed_after_browsing_is_sorted_by_best_match(client):
    CaseStudyFactory(title="Joint legal team for two districts", summary="A shared legal service.")
    CaseStudyFactory(title="Newer reform", summary="Mentions legal once.")
    browsing = client.get(reverse("casestudies:list")).content.decode()
    default = re.search(r'<option value="([^"]*)" selected>', browsing).group(1)

    searched = client.get(reverse("casestudies:list"), {"q": "legal", "sort": default}).content.decode()

    assert default == ""  # the default order is sent empty, not as "newest"
    assert re.search(r'<option value="" selected>Best match</option>', searched)
    assert searched.index("Joint legal team") < searched.index("Newer reform")
