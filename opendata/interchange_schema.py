"""The interchange format as a JSON Schema, built from ``casestudies.fields``,
and what breaks it said the way a person fixing the file needs to read it.

Lengths and choices come from the model fields. Each subschema's
``errorMessage`` (the convention of ajv-errors) says, keyword by keyword, what
to report when a value breaks that keyword; ``{value!r}``, ``{type}``,
``{length}`` and ``{limit}`` are filled in. What a schema cannot know (council
codes, vocabulary slugs, web addresses) is checked by ``opendata.interchange``.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators

from casestudies.fields import DATE_PATTERN, YEAR_MONTH_PATTERN, Kind, PublicField, Where, by_key, fields_in
from casestudies.models import CaseStudy, CouncilRole, Link

FIELDS = fields_in(Where.FILE)
RECORD_KEYS = tuple(by_key(FIELDS))
REQUIRED_KEYS = tuple(field.key for field in FIELDS if field.required)
COUNCIL_ENTRY = 'must be {{"council": "<register code>", "role": "lead" or "partner"}}'
LINK_ENTRY = 'must be {{"title": "...", "url": "https://..."}}'
BAD_DATE = 'bad date {value!r}: expected "YYYY" or "YYYY-MM"'
BAD_DAY = 'bad date {value!r}: expected "YYYY-MM-DD" or "YYYY-MM"'


def _text(*, nullable: bool = True, non_blank: bool = False, max_length: int | None = None) -> dict:
    schema: dict[str, Any] = {
        "type": ["string", "null"] if nullable else "string",
        "not": {"type": "string", "pattern": "\\x00"},
    }
    messages = {"type": "must be text, not {type}", "not": "contains a null character"}
    if non_blank:
        schema["pattern"] = "\\S"
        messages["pattern"] = "must not be empty"
    if max_length:
        schema["maxLength"] = max_length
        messages["maxLength"] = "is too long: {length} characters, at most {limit}"
    return {**schema, "errorMessage": messages}


def _whole_number(*, minimum: int, maximum: int | None = None, message: str) -> dict:
    schema: dict[str, Any] = {"type": ["integer", "null"], "minimum": minimum}
    if maximum is not None:
        schema["maximum"] = maximum
    return {**schema, "errorMessage": dict.fromkeys(schema, message)}


def _list_of(items: dict, message: str, *, nullable: bool = True, min_items: int = 0) -> dict:
    schema: dict[str, Any] = {"type": ["array", "null"] if nullable else "array"}
    if min_items:
        schema["minItems"] = min_items
    return {**schema, "errorMessage": dict.fromkeys(schema, message), "items": items}


def _object(properties: dict, *, unknown: str, **schema: Any) -> dict:
    return {
        "type": ["object", "null"],
        "additionalProperties": False,
        "properties": properties,
        "errorMessage": {"type": "must be an object", "additionalProperties": unknown},
        **schema,
    }


def _councils() -> dict:
    entry = {
        "type": "object",
        "required": ["council"],
        "properties": {
            "council": _text(nullable=False),
            "role": {
                "enum": CouncilRole.values,
                "errorMessage": {"enum": "unknown role {value!r} (expected lead or partner)"},
            },
        },
        "errorMessage": {"type": COUNCIL_ENTRY, "required": COUNCIL_ENTRY},
    }
    return _list_of(entry, "must be a list with at least the lead council", nullable=False, min_items=1)


def _links() -> dict:
    entry = {
        "type": "object",
        "required": ["url"],
        "properties": {
            "title": _text(max_length=Link._meta.get_field("title").max_length),
            "url": _text(nullable=False, max_length=Link._meta.get_field("url").max_length),
        },
        "errorMessage": {"type": LINK_ENTRY, "required": LINK_ENTRY},
    }
    return _list_of(entry, "must be a list")


def _choice(field: PublicField, choices: list) -> dict:
    message = f"unknown {field.name} {{value!r}} (expected one of: {', '.join(map(str, choices))})"
    return {"type": "string", "enum": choices, "errorMessage": {"type": message, "enum": message}}


def field_schema(field: PublicField) -> dict:
    match field.kind:
        case Kind.COUNCILS:
            return _councils()
        case Kind.LINKS:
            return _links()
        case Kind.TEXT_LIST | Kind.VOCABULARY:
            return _list_of(_text(nullable=False), "must be a list of text")
        case Kind.YEAR_MONTH:
            return {
                "type": "string",
                "pattern": YEAR_MONTH_PATTERN,
                "errorMessage": {"type": BAD_DATE, "pattern": BAD_DATE},
            }
        case Kind.DATE:
            return {
                "type": ["string", "null"],
                "pattern": DATE_PATTERN,
                "errorMessage": {"type": BAD_DAY, "pattern": BAD_DAY},
            }
    model_field = CaseStudy._meta.get_field(field.attributes[0])
    choices = [value for value, _ in model_field.choices or []]
    match field.kind:
        case Kind.CHOICE:
            return _choice(field, choices)
        case Kind.LEVEL:
            low, high = min(choices), max(choices)
            message = f"must be a whole number from {low} to {high} or null, not {{value!r}}"
            return _whole_number(minimum=low, maximum=high, message=message)
        case Kind.MONEY:
            message = "must be a whole number of pounds, 0 or more, or null, not {value!r}"
            return _whole_number(minimum=0, message=message)
    return _text(nullable=not field.required, non_blank=field.required, max_length=model_field.max_length)


def record_schema() -> dict:
    properties = {}
    for key, fields in by_key(FIELDS).items():
        if fields[0].group:
            names = ", ".join(field.name for field in fields)
            members = {field.name: field_schema(field) for field in fields}
            properties[key] = _object(members, unknown=f"is not a field (expected: {names})")
        else:
            properties[key] = field_schema(fields[0])
    unknown = f"is not a field of the format (expected one of: {', '.join(RECORD_KEYS)})"
    return {**_object(properties, unknown=unknown, required=list(REQUIRED_KEYS)), "type": "object"}


def file_schema() -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Showcase case studies",
        "type": "object",
        "required": ["case_studies"],
        "properties": {"case_studies": {"type": "array", "items": record_schema()}},
    }


def _is_whole_number(checker, instance) -> bool:
    # JSON Schema counts 2.0 as an integer; pounds and levels are written without a point.
    return isinstance(instance, int) and not isinstance(instance, bool)


FileValidator = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_whole_number),
)


@dataclass(frozen=True)
class Problem:
    path: tuple[str | int, ...]  # from the top of the file
    reason: str


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _said(error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    messages = error.schema.get("errorMessage", {}) if isinstance(error.schema, dict) else {}
    template = messages.get(error.validator)
    if error.validator == "required" and template is None:
        for name in error.validator_value:
            if name not in error.instance:
                yield Problem((*path, name), "is required")
    elif error.validator == "additionalProperties":
        for name in sorted(set(error.instance) - set(error.schema["properties"])):
            yield Problem((*path, name), template or "is not a field")
    elif template is None:
        yield Problem(path, error.message)
    else:
        value = error.instance
        length = len(value) if isinstance(value, str | list) else 0
        reason = template.format(
            value=value, type=_type_name(value), length=length, limit=error.validator_value
        )
        yield Problem(path, reason)


@cache
def file_validator() -> Draft202012Validator:
    return FileValidator(file_schema())


def problems(data: Any) -> list[Problem]:
    """What breaks the schema: the first problem at each place."""
    found: dict[tuple, Problem] = {}
    for error in file_validator().iter_errors(data):
        for problem in _said(error):
            found.setdefault(problem.path, problem)
    return list(found.values())
