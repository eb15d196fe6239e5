"""Money as officers type it: every way of writing a sum that means one amount
is read as that many whole pounds; anything else is refused, naming the field."""

import pytest
from django.core.exceptions import ValidationError

from moderation.money import PoundsField
from moderation.submission import CaseStudyForm


def savings() -> PoundsField:
    return CaseStudyForm.base_fields["annual_savings_gbp"]


@pytest.mark.parametrize(
    ("typed", "pounds"),
    [
        ("£350,000", 350_000),
        ("350k", 350_000),
        ("350,000", 350_000),
        ("£1.2m", 1_200_000),
        ("350000", 350_000),
        ("350K", 350_000),
        ("£1.2M", 1_200_000),
        ("£ 350,000 ", 350_000),
        ("350 000", 350_000),
        ("£350,000.00", 350_000),
        ("1.25k", 1_250),
        ("2 million", 2_000_000),
        ("£1.5bn", 1_500_000_000),
        ("0", 0),
    ],
)
def test_a_sum_written_any_usual_way_is_whole_pounds(typed, pounds):
    assert savings().clean(typed) == pounds


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_nothing_typed_is_no_figure(typed):
    assert savings().clean(typed) is None


@pytest.mark.parametrize(
    "typed",
    [
        "lots",
        "about 300k",
        "-5",
        "£-5",
        "350,00",
        "1,2345",
        "3.5.1",
        "£",
        "k",
        "350kk",
        "350 k m",
        "1e6",
        "٣٥٠",
    ],
)
def test_anything_else_is_refused_naming_the_field(typed):
    with pytest.raises(ValidationError) as refused:
        savings().clean(typed)

    assert refused.value.messages == ["Enter the recurring savings a year as a number, like 350000"]


def test_pence_are_refused_rather_than_rounded():
    with pytest.raises(ValidationError) as refused:
        savings().clean("£350.50")

    assert refused.value.messages == ["Enter the recurring savings a year in whole pounds, like 350000"]


def test_a_figure_past_any_councils_budget_is_refused_as_a_slip():
    with pytest.raises(ValidationError) as refused:
        savings().clean("£2,000bn")

    assert refused.value.messages == [
        "Enter the recurring savings a year in pounds: £999,999,999,999 at most"
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("annual_savings_gbp", "Enter the recurring savings a year as a number, like 350000"),
        ("one_off_savings_gbp", "Enter the one-off savings as a number, like 350000"),
        ("investment_gbp", "Enter the investment as a number, like 350000"),
    ],
)
def test_each_money_field_names_itself(name, message):
    with pytest.raises(ValidationError) as refused:
        CaseStudyForm.base_fields[name].clean("a lot")

    assert refused.value.messages == [message]


def test_each_money_field_says_how_to_write_a_sum():
    assert CaseStudyForm.base_fields["investment_gbp"].help_text == (
        "In pounds: for example 350000, £350,000, 350k or £1.2m."
    )


def test_a_field_of_its_own_names_what_it_is_given():
    field = PoundsField(label="Budget", subject="the yearly budget", required=True)

    with pytest.raises(ValidationError) as refused:
        field.clean("")

    assert refused.value.messages == ["Enter the yearly budget"]
