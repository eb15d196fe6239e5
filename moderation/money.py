"""Sums of money as officers type them, kept as whole pounds.

"£350,000", "350,000", "350000", "350k" and "£1.2m" all mean what they say; a
figure the form cannot read for certain is refused, naming the field, rather
than guessed at."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

# A pound sign, digits (grouped in threes by commas or spaces, or not grouped),
# perhaps a decimal part, perhaps a word or letter for thousands, millions or billions.
AMOUNT = re.compile(
    r"""^£?\s*
    (?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?:\ [0-9]{3})+|[0-9]+)
    (?:\.(?P<fraction>[0-9]+))?
    \s*(?P<unit>k|thousand|m|million|bn|billion)?$""",
    re.IGNORECASE | re.VERBOSE,
)
UNITS = {
    "": 1,
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
# Far more than any council has saved or spent on one reform; beyond it a figure is a typing slip.
MAXIMUM = 10**12 - 1
HINT = "In pounds: for example 350000, £350,000, 350k or £1.2m."


def parse_pounds(text: str) -> Decimal:
    """The amount ``text`` names, in pounds (perhaps with pence); ValueError if it names none."""
    match = AMOUNT.match(text.strip())
    if not match:
        raise ValueError(f"not an amount of money: {text!r}")
    whole = match.group("whole").replace(",", "").replace(" ", "")
    number = Decimal(f"{whole}.{match.group('fraction') or '0'}")
    return number * UNITS[(match.group("unit") or "").lower()]


def subject_of(label: str) -> str:
    """ "Recurring savings a year (£)" -> "the recurring savings a year", for messages."""
    words = label.removesuffix("(£)").strip()
    return f"the {words[:1].lower()}{words[1:]}"


class PoundsField(forms.Field):
    """A whole number of pounds, 0 or more, typed the ways people write money."""

    widget = forms.TextInput

    def __init__(self, *, subject: str = "", min_value: int = 0, max_value: int = MAXIMUM, **kwargs):
        # min_value comes from the model field: no amount typed here can be below 0.
        kwargs["help_text"] = kwargs.get("help_text") or HINT
        given = kwargs.pop("error_messages", None) or {}
        super().__init__(**kwargs)
        self.max_value = min(max_value, MAXIMUM)
        subject = subject or subject_of(str(self.label or "the amount"))
        self.error_messages = {
            "required": f"Enter {subject}",
            "invalid": f"Enter {subject} as a number, like 350000",
            "pence": f"Enter {subject} in whole pounds, like 350000",
            "too_large": f"Enter {subject} in pounds: £{self.max_value:,} at most",
            **given,
        }

    def to_python(self, value) -> int | None:
        if value in self.empty_values or not str(value).strip():
            return None
        if isinstance(value, int):
            return value
        try:
            amount = parse_pounds(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if amount != amount.to_integral_value():
            raise ValidationError(self.error_messages["pence"], code="pence")
        if amount > self.max_value:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        return int(amount)
