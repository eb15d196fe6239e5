"""The demo is as trustworthy as its sources: every record names a public one and
is dated by it, so that a page never claims a confirmation nobody made."""

import pytest
from django.utils import timezone

from casestudies.fields import parse_date
from casestudies.models import CaseStudy

MONEY = ("annual_gbp", "one_off_gbp", "investment_gbp")


def test_every_demo_record_links_to_a_public_source_over_https(demo_records):
    for record in demo_records["case_studies"]:
        assert any(link["url"].startswith("https://") for link in record["links"]), record["slug"]
        assert all(link["title"].strip() for link in record["links"]), record["slug"]


def test_every_demo_record_is_dated_by_its_source_and_never_after_today(demo_records):
    today = timezone.localdate()
    for record in demo_records["case_studies"]:
        assert record["last_confirmed"], record["slug"]
        assert parse_date(record["last_confirmed"]) <= today, record["slug"]


def test_every_demo_money_figure_says_where_it_comes_from(demo_records):
    for record in demo_records["case_studies"]:
        savings = record["savings"]
        if any(savings[name] is not None for name in MONEY):
            assert savings["notes"].strip(), record["slug"]


@pytest.mark.django_db
def test_loading_the_demo_keeps_each_records_date_rather_than_the_load_date(demo, demo_records):
    wanted = {record["slug"]: parse_date(record["last_confirmed"]) for record in demo_records["case_studies"]}

    loaded = dict(CaseStudy.objects.values_list("slug", "last_confirmed_at"))

    assert loaded == wanted
    assert timezone.localdate() not in loaded.values()
