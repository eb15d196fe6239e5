"""Cells for files people open in a spreadsheet.

Domain-free, so every room that writes a CSV can use it (opendata's export has
its own copy, ``opendata.exports.neutralise``, with the same rule)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
