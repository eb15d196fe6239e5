"""A month and a year print GOV.UK Frontend's own date input, as in
test_govuk_markup: rendered from a Django form through templates/includes/field.html
and compared, as trees, with the examples the govuk-frontend package ships.

Two differences from the examples are ours, and set on the example as the macro would
print them: the boxes are named as Django names the parts of one field ("dob_month",
where the example has "dob-month"), and the month box has no numeric keyboard, since it
takes a month's name ("April") too."""

from django import forms
from django.template.loader import render_to_string

from moderation.month_year import MonthYearField
from tests.core.test_govuk_markup import Element, fixtures, lines, parse, structure, walk


def example(name: str, renames: dict[str, str]) -> list[str]:
    """A shipped example without its day box, its ids and names changed as ``renames`` says."""
    html = fixtures("date-input")[name]["html"]
    for before, after in renames.items():
        html = html.replace(before, after)
    root = parse(html)
    for element in walk(root):
        element.children = [child for child in element.children if not _is_day(child)]
        if element.tag == "input" and element.attributes.get("name", "").endswith("month"):
            element.attributes.pop("inputmode")
    return lines(root)


def _is_day(child) -> bool:
    return (
        isinstance(child, Element)
        and child.attributes.get("class") == "govuk-date-input__item"
        and any(inner.tag == "input" and inner.attributes["id"].endswith("day") for inner in walk(child))
    )


def ours(name: str, *, data: dict | None = None, **field_options) -> list[str]:
    field = MonthYearField(event="it happened", required=False, **field_options)
    form = type("ExampleForm", (forms.Form,), {name: field})(data, auto_id="%s")
    if data is not None:
        form.is_valid()
    return structure(render_to_string("includes/field.html", {"field": form[name]}))


def test_a_month_and_year_is_govuk_date_input_without_the_day():
    options = fixtures("date-input")["month and year"]["options"]

    assert ours(
        "dob", label=options["fieldset"]["legend"]["text"], help_text=options["hint"]["text"]
    ) == example("month and year", {"dob-month": "dob_month", "dob-year": "dob_year"})


def test_an_error_in_the_month_marks_the_month_box_only():
    options = fixtures("date-input")["with error on month input"]["options"]
    name = options["id"]

    rendered = ours(
        name,
        data={f"{name}_month": "13", f"{name}_year": "1980"},
        label=options["fieldset"]["legend"]["text"],
        help_text=options["hint"]["text"],
        error_messages={"month": options["errorMessage"]["text"]},
    )

    renames = {
        f"{name}-month": f"{name}_month",
        f"{name}-year": f"{name}_year",
        # What was typed comes back.
        'name="month"': f'name="{name}_month" value="13"',
        'name="year"': f'name="{name}_year" value="1980"',
    }
    assert rendered == example("with error on month input", renames)
