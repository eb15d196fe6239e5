"""Choices posted as row numbers (checkboxes of a vocabulary, say)."""

from django import forms
from django.core.exceptions import ValidationError

# What a row number can be on every database we run on (a 64-bit integer).
LARGEST_ROW_NUMBER = 2**63 - 1


class RowsByNumber(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses a number no row can have as it
    refuses any choice not on the list, before it reaches the database:
    SQLite cannot compare an integer past 64 bits at all (OverflowError, a 500)."""

    def _check_values(self, value):
        for choice in value if isinstance(value, list | tuple) else []:
            text = str(choice).strip().removeprefix("-")
            if text.isdigit() and int(text) > LARGEST_ROW_NUMBER:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": choice}
                )
        return super()._check_values(value)
