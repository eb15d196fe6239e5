"""Cells for files people open in a spreadsheet.

Domain-free, so every room that writes a CSV uses it: the case study export,
the comparison and the figures."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
