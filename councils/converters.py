"""How a council's register code appears in an address."""

from django.urls import register_converter


class CouncilCodeConverter:
    """A register code in an address: letters, digits and hyphens (sha, NIR-K),
    in either case. Anything else is no council's address and is not found
    without asking the database (PostgreSQL refuses a NUL in a query with an
    error, which was a 500)."""

    regex = "[A-Za-z0-9-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def register() -> None:
    """Make ``<council_code:code>`` available to every urls module (once, at start-up)."""
    register_converter(CouncilCodeConverter, "council_code")
