"""A month and a year, asked as GOV.UK's date input without the day: a box for
the month (a number or a name: "4", "04", "April", "apr") and one for the year.

An error says which box is wrong, and only that box is marked; the error
summary links to it."""

from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField

from casestudies.fields import YEARS

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
PART_LABELS = {"month": "Month", "year": "Year"}
# Which boxes an error marks, by its code; any other code marks both.
MARKS = {"month": {"month"}, "year": {"year"}, "required": {"year"}}


class YearMonth(NamedTuple):
    year: int
    month: int | None


def parse_month(text: str) -> int:
    """1 to 12 from "4", "04", "April", "apr" or "Sept."; ValueError otherwise."""
    text = text.strip().rstrip(".").lower()
    if text.isascii() and text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    matches = [number for number, name in enumerate(MONTHS, start=1) if name.startswith(text)]
    if len(text) >= 3 and len(matches) == 1:
        return matches[0]
    raise ValueError(f"not a month: {text!r}")


class MonthYearWidget(forms.MultiWidget):
    # templates/includes/field.html picks the date-input template by this.
    input_type = "month-and-year"

    def __init__(self, attrs=None):
        super().__init__({"month": forms.TextInput, "year": forms.TextInput}, attrs)

    def decompress(self, value):
        if not value:
            return [None, None]
        return [value.month, value.year]


class MonthYearBoundField(BoundField):
    """The two boxes, each with its name, id, value and whether an error marks it."""

    @property
    def marked(self) -> set[str]:
        errors = self.form.errors.as_data().get(self.name, []) if self.form.is_bound else []
        return set().union(*(MARKS.get(error.code, set(PART_LABELS)) for error in errors))

    @property
    def parts(self) -> list[dict]:
        values = self.data if self.form.is_bound else self.field.widget.decompress(self.value())
        marked = self.marked
        return [
            {
                "name": name,
                "label": label,
                "html_name": f"{self.html_name}_{name}",
                "id": f"{self.auto_id}_{name}",
                "value": "" if value is None else str(value),
                "marked": name in marked,
            }
            for (name, label), value in zip(PART_LABELS.items(), values, strict=True)
        ]

    @property
    def error_anchor(self) -> str:
        """Where the error summary links: the first box marked, or the month."""
        marked = [part for part in self.parts if part["marked"]]
        return (marked or self.parts)[0]["id"]


class MonthYearField(forms.Field):
    """A YearMonth, or None when both boxes are empty. The month may be left out, the year not.

    ``event`` names what happened then, for the messages: "the reform started"."""

    widget = MonthYearWidget
    bound_field_class = MonthYearBoundField

    def __init__(self, *, event: str, **kwargs):
        given = kwargs.pop("error_messages", None) or {}
        super().__init__(**kwargs)
        self.error_messages = {
            "required": f"Enter the year {event}",
            "year_missing": f"Enter the year {event}, as well as the month",
            "month": f"Enter the month {event} as a number from 1 to 12 or its name, like 4 or April",
            "year": f"Enter the year {event} as 4 digits, like 2019",
            "year_range": f"The year {event} must be between {YEARS.start} and {YEARS.stop - 1}",
            **given,
        }

    def to_python(self, value) -> YearMonth | None:
        if isinstance(value, YearMonth):
            return value
        month_text, year_text = (str(part or "").strip() for part in (value or ("", "")))
        if not month_text and not year_text:
            return None
        errors = []
        month = None
        if month_text:
            try:
                month = parse_month(month_text)
            except ValueError:
                errors.append(ValidationError(self.error_messages["month"], code="month"))
        year = self._year(year_text, errors)
        if errors:
            raise ValidationError(errors)
        return YearMonth(year, month)

    def _year(self, text: str, errors: list[ValidationError]) -> int | None:
        if not text:
            errors.append(ValidationError(self.error_messages["year_missing"], code="year"))
        elif not (text.isascii() and text.isdigit() and len(text) == 4):
            errors.append(ValidationError(self.error_messages["year"], code="year"))
        elif int(text) not in YEARS:
            errors.append(ValidationError(self.error_messages["year_range"], code="year"))
        else:
            return int(text)
        return None
