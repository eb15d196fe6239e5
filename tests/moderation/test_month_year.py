"""A month and a year in two boxes, GOV.UK's date input without the day: the
month as a number or a name, the year as four digits; an error names the
field and the box that is wrong."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from moderation.month_year import MonthYearField, YearMonth, parse_month
from moderation.submission import CaseStudyForm

MONTH = "Enter the month the reform started as a number from 1 to 12 or its name, like 4 or April"
YEAR = "Enter the year the reform started as 4 digits, like 2019"


def started() -> MonthYearField:
    return CaseStudyForm.base_fields["started"]


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("4", 4),
        ("04", 4),
        ("April", 4),
        ("april", 4),
        ("APR", 4),
        ("apr", 4),
        ("Apr.", 4),
        ("Sept", 9),
        ("sep", 9),
        ("December", 12),
        ("12", 12),
        ("1", 1),
        (" may ", 5),
    ],
)
def test_a_month_is_a_number_or_a_name(typed, number):
    assert parse_month(typed) == number


@pytest.mark.parametrize("typed", ["0", "13", "ju", "ma", "Aprill", "Spring", "4th", "", "٤"])
def test_anything_else_is_not_a_month(typed):
    with pytest.raises(ValueError):
        parse_month(typed)


@pytest.mark.parametrize(
    ("month", "year", "expected"),
    [
        ("4", "2019", YearMonth(2019, 4)),
        ("April", "2019", YearMonth(2019, 4)),
        ("apr", "2019", YearMonth(2019, 4)),
        ("", "2019", YearMonth(2019, None)),
        ("", "", None),
    ],
)
def test_the_two_boxes_make_a_year_and_perhaps_a_month(month, year, expected):
    assert started().clean([month, year]) == expected


@pytest.mark.parametrize(
    ("month", "year", "messages", "codes"),
    [
        ("13", "2019", [MONTH], ["month"]),
        ("Aprl", "2019", [MONTH], ["month"]),
        ("April", "", ["Enter the year the reform started, as well as the month"], ["year"]),
        ("4", "19", [YEAR], ["year"]),
        ("4", "twenty", [YEAR], ["year"]),
        ("", "1850", ["The year the reform started must be between 1900 and 2100"], ["year"]),
        ("Smarch", "19", [MONTH, YEAR], ["month", "year"]),
    ],
)  # fmt: skip
def test_an_error_names_the_field_and_the_box_that_is_wrong(month, year, messages, codes):
    with pytest.raises(ValidationError) as refused:
        started().clean([month, year])

    assert refused.value.messages == messages
    assert [error.code for error in refused.value.error_list] == codes


class StartedForm(forms.Form):
    started = MonthYearField(label="When the reform started", event="the reform started", required=False)


def test_only_the_wrong_box_is_marked_and_the_summary_links_to_it():
    form = StartedForm({"started_month": "4", "started_year": "19"})
    form.is_valid()

    assert [(part["name"], part["value"], part["marked"]) for part in form["started"].parts] == [
        ("month", "4", False),
        ("year", "19", True),
    ]
    assert form["started"].error_anchor == "id_started_year"


def test_what_was_typed_comes_back_as_typed():
    form = StartedForm({"started_month": "apr", "started_year": "2019"})

    assert form.is_valid()
    assert [part["value"] for part in form["started"].parts] == ["apr", "2019"]


def test_a_saved_year_and_month_fill_the_boxes():
    form = StartedForm(initial={"started": YearMonth(2019, 4)})

    assert [part["value"] for part in form["started"].parts] == ["4", "2019"]
    assert form["started"].error_anchor == "id_started_month"


def test_the_hint_gives_an_example_in_the_order_of_the_boxes():
    assert started().help_text.startswith("For example, 4 2019")
