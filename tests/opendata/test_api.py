import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

pytestmark = pytest.mark.django_db

SAME_PARAMETERS = [
    "",
    "q=shared+services",
    "q=libary+hubs",
    "q=co-operative+council&nation=England",
    "reform_type=shared-services&reform_type=trading-company",
    "theme=children-and-families&sort=evidence",
    "status=stopped&sort=newest",
    "evidence=2&has_savings=yes&sort=savings",
    "q=council&region=North+West&council_type=MD",
    "like=sha",
    "council=wigan",
    "started_from=2010&started_to=2015",
]


def html_slugs(client, query: str) -> list[str]:
    html = client.get(f"/case-studies/?{query}").content.decode()
    if '<ul class="app-shelf">' not in html:
        return []
    shelf = html.split('<ul class="app-shelf">')[1].split("</ul>")[0]
    heading_link = r'<h2 class="govuk-heading-s[^"]*"><a class="govuk-link" href="/case-studies/([^/]+)/"'
    return re.findall(heading_link, shelf)


def api_slugs(client, query: str) -> list[str]:
    response = client.get(f"/api/v1/case-studies/?{query}")
    assert response.status_code == 200, response.content
    return [record["slug"] for record in response.json()["results"]]


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("query", SAME_PARAMETERS)
def test_the_api_and_the_page_give_the_same_results_in_the_same_order(client, demo, query):
    from_page = html_slugs(client, query)

    assert from_page == api_slugs(client, query)
    assert from_page  # every query finds something, so there is an order to agree on


def test_a_case_study_record_uses_the_interchange_format_without_the_email(client, demo):
    record = client.get("/api/v1/case-studies/surrey-buckinghamshire-joint-trading-standards/").json()

    assert record["councils"][0] == {"council": "SRY", "name": "Surrey", "role": "lead"}
    assert record["reform_types"] == ["shared-services"]
    assert record["started"] == "2015-04"
    assert record["savings"]["annual_gbp"] is None  # the demo gives no figure it cannot source
    assert record["savings"]["notes"].startswith("No figure for savings achieved has been published.")
    assert record["contact"] == {"role": "Head of Trading Standards", "name": "Priya Lal"}
    assert record["url"] == "https://testserver/case-studies/surrey-buckinghamshire-joint-trading-standards/"
    assert record["adopters"] == []
    assert "email" not in str(record).lower()


def test_invalid_parameters_get_a_400_naming_each_one(client, demo):
    response = client.get("/api/v1/case-studies/?evidence=abc&reform_type=nope&q=fine")

    assert response.status_code == 400
    assert set(response.json()) == {"evidence", "reform_type"}
    assert "abc is not one of the available choices" in response.json()["evidence"][0]


def test_councils_filter_by_nation_type_and_status(client, demo):
    abolished = client.get("/api/v1/councils/?status=abolished").json()["results"]
    welsh = client.get("/api/v1/councils/?nation=Wales&type=WPA").json()["results"]

    assert "BKM" in {council["code"] for council in abolished}
    assert all(not council["current"] for council in abolished)
    assert {council["nation"] for council in welsh} == {"Wales"}
    assert client.get("/api/v1/councils/?type=XYZ").status_code == 400


def test_a_council_record_links_successors(client, demo):
    record = client.get("/api/v1/councils/bkm/").json()

    assert record["replaced_by"] == ["BUC"]
    assert record["current"] is False
    assert client.get("/api/v1/councils/zzz/").status_code == 404


def test_vocabularies_are_listed(client, demo):
    slugs = {term["slug"] for term in client.get("/api/v1/reform-types/").json()}

    assert "shared-services" in slugs and len(slugs) == 13
    assert len(client.get("/api/v1/themes/").json()) == 18


def test_the_api_root_states_the_licences(client, db):
    root = client.get("/api/v1/").json()

    assert root["licences"]["case_studies"]["name"] == "Open Government Licence v3.0"
    assert root["licences"]["council_register"]["attribution"].startswith("mySociety")


def test_anonymous_clients_are_throttled_with_a_clear_429(client, db, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})

    codes = [client.get("/api/v1/themes/").status_code for _ in range(4)]
    last = client.get("/api/v1/themes/")

    assert codes == [200, 200, 200, 429]
    assert last.status_code == 429
    assert "Request was throttled" in last.json()["detail"]
    assert int(last["Retry-After"]) > 0


def test_the_schema_validates_and_documents_every_filter(tmp_path):
    path = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    schema = path.read_text()

    names = ["q", "reform_type", "theme", "nation", "region", "council_type", "council", "like", "status"]
    names += ["evidence", "started_from", "started_to", "has_savings", "sort", "page", "page_size"]
    for name in names:
        assert f"name: {name}\n" in schema, name
    assert "contact_email" not in schema
    assert "email:" not in schema  # no field of that name anywhere


def test_the_api_page_documents_the_endpoints_and_licence(client, db):
    html = client.get(reverse("api-docs")).content.decode()

    assert "/api/v1/case-studies/" in html
    assert "Open Government Licence v3.0" in html
    assert "<code>reform_type</code>" in html


def test_the_interactive_explorer_is_served_from_the_package_not_a_cdn(client, db):
    html = client.get(reverse("api-explorer")).content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()


def test_an_unknown_api_address_answers_in_json(client, db):
    response = client.get("/api/v1/case-studies/not a slug/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("count", [5, 40])
def test_the_api_list_costs_the_same_queries_for_5_or_40_case_studies(client, count, no_page_cache):
    from tests.factories import CaseStudyFactory
    from tests.helpers import count_queries

    for _ in range(count):
        CaseStudyFactory()
    client.get("/api/v1/case-studies/")  # warm the shared caches

    # Including the shared rate-limit counter, written in one upsert.
    assert count_queries(client, "/api/v1/case-studies/") == 12


def test_a_case_study_record_keeps_its_fields_in_order(client, demo):
    record = client.get("/api/v1/case-studies/wigan-deal/").json()

    assert list(record) == [
        "slug", "title", "summary", "challenge", "approach", "outcomes", "lessons", "councils", "partners",
        "reform_types", "themes", "status", "started", "evidence_level", "evidence_verified", "savings",
        "contact", "links", "adopters", "adoption_count", "url", "api_url", "published_at", "updated_at",
        "last_confirmed_at",
    ]  # fmt: skip
    assert list(record["savings"]) == ["annual_gbp", "one_off_gbp", "investment_gbp", "notes"]
    assert list(record["contact"]) == ["role", "name"]
