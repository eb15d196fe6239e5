"""Refusing text that cannot travel everywhere a case study goes.

A case study's words end up in Atom feeds (XML 1.0 cannot carry most control
characters at all), in email subjects (a line break there is refused by the
mail library) and on every page. Control characters are never typed on
purpose: they arrive pasted from other programs, invisible. So they are
refused at the form, with the field's name, rather than failing later
somewhere the author never sees."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# What multi-line text may hold: tabs and line ends (browsers send CR LF).
# NUL is left to Django's own validator, which every form CharField has.
MULTILINE_ALLOWED = frozenset("\t\n\r")
# Everything that breaks a line (what str.splitlines and the mail library
# split on), refused in one-line text. Only the last two are not control characters.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def control_characters(text: str, *, multiline: bool) -> list[str]:
    """The characters of ``text`` that a field of this kind must not hold, in order."""
    allowed = MULTILINE_ALLOWED if multiline else frozenset()
    return [
        character
        for character in text
        if character not in allowed
        and character != "\x00"
        and (unicodedata.category(character) == "Cc" or (not multiline and character in LINE_BREAKS))
    ]


@deconstructible
class NoControlCharacters:
    """Refuse control characters (and, in one-line text, any line break), with
    an error that names the field and the character."""

    code = "control_characters"

    def __init__(self, label: str, *, multiline: bool = False):
        self.label = label
        self.multiline = multiline

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        found = control_characters(value, multiline=self.multiline)
        if not found:
            return
        if not self.multiline and found[0] in LINE_BREAKS:
            message = "%(label)s must be on one line: remove the line break"
        else:
            message = (
                "%(label)s contains an invisible control character (%(character)s), usually pasted from "
                "another program: remove it"
            )
        raise ValidationError(
            message,
            code=self.code,
            params={"label": self.label, "character": f"U+{ord(found[0]):04X}"},
        )

    def __eq__(self, other) -> bool:
        if not isinstance(other, NoControlCharacters):
            return NotImplemented
        return (self.label, self.multiline) == (other.label, other.multiline)
