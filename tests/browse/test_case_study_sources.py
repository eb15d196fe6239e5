"""What the case study page says about where its figures and its last confirmation come from."""

import datetime

import pytest

from casestudies.models import Link
from tests.factories import CaseStudyFactory

pytestmark = pytest.mark.django_db

NO_SOURCE = "No source is given for these figures"


def page(client, study) -> str:
    response = client.get(study.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_figures_without_a_source_link_say_so_beside_them(client):
    study = CaseStudyFactory(annual_savings_gbp=40_000_000)

    html = page(client, study)

    assert html.index("£40,000,000") < html.index(NO_SOURCE)
    assert "Further reading" not in html


def test_figures_with_a_source_link_show_it_under_further_reading(client):
    study = CaseStudyFactory(annual_savings_gbp=40_000_000)
    Link.objects.create(case_study=study, title="Council progress report", url="https://example.org/report")

    html = page(client, study)

    assert "Further reading" in html
    assert 'href="https://example.org/report"' in html and "Council progress report" in html
    assert NO_SOURCE not in html


def test_notes_saying_no_figures_were_published_stand_without_empty_rows(client):
    study = CaseStudyFactory(savings_notes="No figures for savings achieved have been published.")

    html = page(client, study)

    assert "No figures for savings achieved have been published." in html
    assert "Recurring savings a year" not in html
    assert NO_SOURCE not in html


def test_a_study_nobody_has_confirmed_says_so_rather_than_showing_the_day_it_was_published(client):
    study = CaseStudyFactory(last_confirmed_at=None)

    html = page(client, study)

    assert "Not yet confirmed as accurate by the team" in html
    assert "Last confirmed accurate" not in html


def test_a_confirmed_study_shows_the_month_it_was_confirmed(client):
    study = CaseStudyFactory(last_confirmed_at=datetime.date(2019, 3, 1))

    assert "Last confirmed accurate March 2019" in page(client, study)
