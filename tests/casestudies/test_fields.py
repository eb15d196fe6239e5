import pytest

from casestudies.fields import FIELDS, format_year_month, parse_year_month
from casestudies.models import CaseStudy


@pytest.mark.parametrize(
    ("year", "month", "written"),
    [(2011, 4, "2011-04"), (2011, None, "2011"), (987, 12, "0987-12"), (None, None, "")],
)
def test_a_year_and_month_are_written_yyyy_mm(year, month, written):
    assert format_year_month(year, month) == written


@pytest.mark.parametrize(("text", "parsed"), [("2014-09", (2014, 9)), ("2014", (2014, None))])
def test_yyyy_mm_is_read_back(text, parsed):
    assert parse_year_month(text) == parsed


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Sept 2014", 'expected "YYYY" or "YYYY-MM"'),
        ("14-09", 'expected "YYYY" or "YYYY-MM"'),
        ("1899", "the year must be between 1900 and 2100"),
        ("2014-13", "the month must be 01 to 12"),
        ("2014-00", "the month must be 01 to 12"),
    ],
)
def test_a_bad_year_and_month_says_what_is_wrong(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_year_month(text)


def test_every_public_field_is_held_by_the_model():
    for field in FIELDS:
        for attribute in field.attributes:
            model_field = CaseStudy._meta.get_field(attribute)
            assert model_field.is_relation == field.kind.is_relation, field
