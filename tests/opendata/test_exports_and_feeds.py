import csv
import io
import json
import re

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casestudies.models import CaseStudy
from opendata.exports import neutralise
from tests.factories import CaseStudyFactory, CouncilFactory

pytestmark = pytest.mark.django_db

DEMO_EMAIL_DOMAIN = "showcase.example"  # every demo contact's address is at this domain


def csv_rows(client, query: str = "") -> list[dict]:
    response = client.get(f"/case-studies/export.csv?{query}")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("query", ["", "q=shared+services", "theme=libraries", "like=sha&sort=evidence"])
def test_the_csv_holds_exactly_the_results_being_viewed(client, demo, query):
    rows = csv_rows(client, query)
    api = client.get(f"/api/v1/case-studies/?{query}&page_size=100").json()

    assert [row["slug"] for row in rows] == [record["slug"] for record in api["results"]]


def test_the_csv_has_a_header_and_one_row_per_case_study(client, demo):
    rows = csv_rows(client)

    assert len(rows) == CaseStudy.objects.published().count()
    wigan = next(row for row in rows if row["slug"] == "wigan-deal")
    assert wigan["lead_council_code"] == "WGN"
    assert wigan["started"] == "2011"
    assert wigan["url"] == "https://testserver/case-studies/wigan-deal/"


def test_the_csv_costs_the_same_queries_for_more_rows(client, demo):
    """Each row's councils, types and themes come in with its batch, and no column a row
    shows is left out of the batch's query (one left out would be read row by row)."""

    def export() -> tuple[int, list[dict]]:
        with CaptureQueriesContext(connection) as queries:
            rows = csv_rows(client)
        return len(queries), rows

    before, rows = export()
    partner = CouncilFactory()
    CaseStudyFactory.create_batch(12, partners_councils=[partner], reform_type_slugs=["shared-services"])
    after, more_rows = export()

    assert len(more_rows) == len(rows) + 12
    assert after == before
    added = next(row for row in more_rows if row["partner_council_codes"] == partner.code)
    assert added["partner_councils"] == partner.name
    assert added["reform_types"] == "shared-services"


def test_cells_that_a_spreadsheet_would_run_are_neutralised(client, db):
    CaseStudyFactory(
        title='=HYPERLINK("http://evil")', summary="+1+1", savings_notes="@SUM(A1)", partners=["-2"]
    )

    row = csv_rows(client)[0]

    assert row["title"] == '\'=HYPERLINK("http://evil")'
    assert row["summary"] == "'+1+1"
    assert row["savings_notes"] == "'@SUM(A1)"
    assert row["partner_organisations"] == "'-2"


def test_neutralise_leaves_ordinary_text_alone():
    assert neutralise("Shared services") == "Shared services"
    assert neutralise(None) == ""
    assert neutralise(1200) == "1200"
    assert neutralise("\tcmd") == "'\tcmd"


def test_the_export_page_states_the_licence_and_links_the_file(client, demo):
    html = client.get(reverse("opendata:export") + "?theme=libraries").content.decode()

    assert "Open Government Licence v3.0" in html
    assert 'href="/case-studies/export.csv?theme=libraries"' in html
    assert "3 case studies" in html


def test_the_csv_refuses_a_filter_it_cannot_use_rather_than_export_everything(client, demo):
    response = client.get("/case-studies/export.csv?theme=libraries&region=atlantis")

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines()[1].startswith("region: ")


def test_the_export_page_names_a_filter_it_left_out_and_links_only_the_rest(client, demo):
    html = client.get(reverse("opendata:export") + "?theme=libraries&region=atlantis").content.decode()

    assert "These filters could not be used, so the file leaves them out" in html
    assert "<li>Region: " in html
    assert 'href="/case-studies/export.csv?theme=libraries"' in html
    assert "3 case studies" in html


def entries(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return [entry.title for entry in feed.entries]


def test_the_feed_of_everything_lists_the_newest_first(client, demo):
    newest = CaseStudyFactory(title="Brand new reform")

    titles = entries(client, "/feeds/case-studies.atom")

    assert titles[0] == newest.title
    assert len(titles) == CaseStudy.objects.published().count()


def test_feeds_per_reform_type_theme_council_and_search_carry_the_right_entries(client, demo):
    assert set(entries(client, "/feeds/reform-types/trading-company.atom")) == set(
        CaseStudy.objects.published()
        .filter(reform_types__slug="trading-company")
        .values_list("title", flat=True)
    )
    assert set(entries(client, "/feeds/themes/libraries.atom")) == set(
        CaseStudy.objects.published().filter(themes__slug="libraries").values_list("title", flat=True)
    )
    assert "The Wigan Deal: a new relationship between council and residents" in entries(
        client, "/feeds/councils/wgn.atom"
    )
    assert set(entries(client, "/case-studies/feed.atom?q=libraries")) == {
        "Suffolk Libraries: a community mutual ran the county's libraries",
        "Community-managed libraries in Bradford",
        "Lambeth: the co-operative council",
        "Tri-borough shared services in west London",  # the three boroughs shared a library service
    }


def test_unknown_feeds_are_not_found(client, demo):
    assert client.get("/feeds/reform-types/nope.atom").status_code == 404
    assert client.get("/feeds/councils/zzz.atom").status_code == 404
    assert client.get("/case-studies/feed.atom?evidence=abc").status_code == 404


def test_drafts_appear_in_no_feed_export_or_api(client, demo):
    CaseStudyFactory(title="Secret draft", publication_state="draft", published_at=None)

    assert "Secret draft" not in entries(client, "/feeds/case-studies.atom")
    assert "Secret draft" not in {row["title"] for row in csv_rows(client)}
    assert "Secret draft" not in client.get("/api/v1/case-studies/?page_size=100").content.decode()


def test_no_contact_email_appears_in_any_public_output(client, demo):
    def output(url: str) -> bytes:
        response = client.get(url)
        assert response.status_code == 200, url  # the output itself, not a redirect or an error page
        return b"".join(response.streaming_content) if response.streaming else response.content

    outputs = [
        output(url)
        for url in [
            "/api/v1/case-studies/?page_size=100",
            "/api/v1/case-studies/wigan-deal/",
            "/api/schema/",
            "/case-studies/export.csv",
            "/feeds/case-studies.atom",
            "/case-studies/feed.atom?q=shared",
            "/sitemap.xml",
            "/case-studies/",
        ]
    ]
    outputs += [output(study.get_absolute_url()) for study in CaseStudy.objects.published()]

    for output in outputs:
        assert DEMO_EMAIL_DOMAIN.encode() not in output


def test_the_sitemap_lists_public_pages_and_published_case_studies(client, demo):
    xml = client.get("/sitemap.xml").content.decode()

    assert "https://testserver/case-studies/wigan-deal/" in xml
    assert "https://testserver/councils/sha/" in xml
    assert "https://testserver/about/" in xml


def test_robots_txt_points_at_the_sitemap(client, db):
    text = client.get("/robots.txt").content.decode()

    assert "Sitemap: https://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text


def test_a_case_study_page_carries_json_ld_and_link_previews(client, demo):
    html = client.get("/case-studies/wigan-deal/").content.decode()

    data = json.loads(
        re.search(r'<script type="application/ld\+json" nonce="[^"]*">(.*?)</script>', html).group(1)
    )
    assert data["@type"] == "Article"
    assert data["headline"] == "The Wigan Deal: a new relationship between council and residents"
    assert data["author"]["name"] == "Wigan Metropolitan Borough Council"
    assert "open-government-licence" in data["license"]
    title = "The Wigan Deal: a new relationship between council and residents"
    assert f'<meta property="og:title" content="{title}">' in html
    assert '<meta property="og:description" content="Wigan Council&#x27;s Deal is' in html


def test_json_ld_cannot_be_broken_out_of(client, db):
    study = CaseStudyFactory(title="</script><script>alert(1)</script>")

    html = client.get(study.get_absolute_url()).content.decode()

    assert "</script><script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html


def test_the_csv_columns_keep_their_published_order(client):
    CaseStudyFactory()

    assert list(csv_rows(client)[0]) == [
        "slug", "title", "summary", "url", "lead_council_code", "lead_council", "partner_council_codes",
        "partner_councils", "partner_organisations", "reform_types", "themes", "status", "started",
        "evidence_level", "evidence_verified", "annual_savings_gbp", "one_off_savings_gbp", "investment_gbp",
        "savings_notes", "contact_role", "published_at", "updated_at", "last_confirmed_at", "challenge",
        "approach", "outcomes", "lessons",
    ]  # fmt: skip
