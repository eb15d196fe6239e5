"""Forms print GOV.UK Frontend's own markup.

Each kind of field is rendered from a Django form through templates/includes/field.html
and compared with the example that the govuk-frontend npm package ships
(node_modules/govuk-frontend/dist/govuk/components/<name>/fixtures.json). The Django
field is built from the example's own options: its name and id, label or legend, hint,
error message, items and value. Both sides are parsed and compared as trees: element
names, every attribute (classes as a set, aria-describedby in order) and the text, its
whitespace collapsed.

Where our field has an option that no shipped example has (an email address is
type="email"), that option is set on the example's element as the macro writes it: such
options go straight onto the element as attributes."""

import json
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

COMPONENTS = Path(settings.BASE_DIR) / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "components"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
BOOLEAN_ATTRIBUTES = {"checked", "selected", "disabled", "multiple", "required"}


@cache
def fixtures(component: str) -> dict[str, dict]:
    path = COMPONENTS / component / "fixtures.json"
    if not path.exists():
        pytest.fail(f"GOV.UK Frontend's examples are missing ({path}): run `make install` (npm ci)")
    return {fixture["name"]: fixture for fixture in json.loads(path.read_text())["fixtures"]}


# Comparing markup


class Element:
    def __init__(self, tag: str, attributes: dict[str, str | None]):
        self.tag = tag
        self.attributes = attributes
        self.children: list[Element | str] = []


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.open[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        assert self.open[-1].tag == tag, f"</{tag}> closes <{self.open[-1].tag}>"
        self.open.pop()

    def handle_data(self, data):
        self.open[-1].children.append(data)


def parse(html: str) -> Element:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.open == [builder.root], "an element was left open"
    return builder.root


def walk(element: Element):
    for child in element.children:
        if isinstance(child, Element):
            yield child
            yield from walk(child)


def normalised_attribute(name: str, value: str | None) -> str:
    if name in BOOLEAN_ATTRIBUTES:
        return ""
    value = value or ""
    if name == "class":
        return " ".join(sorted(value.split()))
    return " ".join(value.split())


def lines(element: Element, depth: int = 0) -> list[str]:
    """The tree as one line per element or text, so that a failure shows a readable diff."""
    out = []
    for child in element.children:
        if isinstance(child, str):
            if element.tag == "textarea":
                # Browsers drop a textarea's first line break; the rest is its value, as it is.
                if text := child.removeprefix("\n"):
                    out.append("  " * depth + repr(text))
            elif text := " ".join(child.split()):
                out.append("  " * depth + repr(text))
            continue
        attributes = "".join(
            f" {name}={normalised_attribute(name, value)!r}"
            for name, value in sorted(child.attributes.items())
        )
        out.append("  " * depth + f"<{child.tag}{attributes}>")
        out.extend(lines(child, depth + 1))
    return out


def structure(html: str) -> list[str]:
    return lines(parse(html))


def example(component: str, name: str, **changes: dict[str, str | None]) -> list[str]:
    """A shipped example, with attributes set (or, given None, removed) on the elements
    named by tag (``input``) or by id (``#nationality-2``)."""
    root = parse(fixtures(component)[name]["html"])
    for key, attributes in changes.items():
        found = [
            element for element in walk(root) if key in (element.tag, f"#{element.attributes.get('id')}")
        ]
        assert found, f"no {key} in the example {component}: {name}"
        for element in found:
            for attribute, value in attributes.items():
                if value is None:
                    element.attributes.pop(attribute, None)
                else:
                    element.attributes[attribute] = value
    return lines(root)


# Rendering the same thing from a Django form


def reject(message: str):
    def validator(value):
        raise ValidationError(message)

    return validator


def rendered(
    name: str,
    field: forms.Field,
    *,
    id: str | None = None,
    error: str | None = None,
    data: dict | None = None,
    **include_options,
) -> list[str]:
    """One field of a one-field form, through the include as the site's templates use it.
    ``error`` makes the field fail validation with that message, as a form would."""
    if id and id != name:
        field.widget.attrs["id"] = id
    if error:
        field.required = True
        field.error_messages = {**field.error_messages, "required": error}
        field.validators = [*field.validators, reject(error)]
        data = data or {}
    form_class = type("ExampleForm", (forms.Form,), {name: field})
    form = form_class(data, auto_id="%s") if data is not None else form_class(auto_id="%s")
    if data is not None:
        form.is_valid()
    return structure(render_to_string("includes/field.html", {"field": form[name], **include_options}))


def ours(component: str, name: str, field_class=forms.CharField, **kwargs) -> list[str]:
    """Our markup for the Django field that asks what the example ``name`` asks."""
    options = fixtures(component)[name]["options"]
    error = options.get("errorMessage", {}).get("text")
    items = [item for item in options.get("items", []) if item]
    chosen = [str(item["value"]) for item in items if item.get("checked") or item.get("selected")]
    chosen += [str(value) for value in options.get("values", [])]
    field_options = {
        "label": options.get("label", options.get("fieldset", {}).get("legend", {}))["text"],
        "help_text": options.get("hint", {}).get("text", ""),
        "required": bool(error),
    }
    if "items" in options:
        field_options["choices"] = [(str(item["value"]), item["text"]) for item in items]
    if "widget" in kwargs:
        field_options["widget"] = kwargs.pop("widget")
    field = field_class(**field_options)
    several = isinstance(field, forms.MultipleChoiceField)
    if "value" in options:
        field.initial = options["value"]
    elif chosen:
        field.initial = chosen if several else chosen[0]
    data = {options["name"]: field.initial} if error and field.initial is not None else None
    return rendered(
        options["name"],
        field,
        id=options.get("id") or options.get("idPrefix"),
        error=error,
        data=data,
        **kwargs,
    )


# Text inputs


@pytest.mark.parametrize(
    "name", ["default", "with hint text", "with error message", "with error and hint", "value", "zero value"]
)
def test_a_text_input_is_govuk_input(name):
    assert ours("input", name) == example("input", name)


def test_a_text_input_says_what_the_browser_may_fill_in():
    name = "with autocomplete attribute"
    assert ours("input", name, autocomplete="postal-code") == example("input", name)


def test_a_whole_number_is_text_with_a_numeric_keyboard():
    # As the design system asks: never type="number"; and a width that fits a number.
    assert ours("input", "inputmode", forms.IntegerField) == example(
        "input", "inputmode", input={"inputmode": "numeric", "class": "govuk-input govuk-input--width-10"}
    )


def test_an_email_address_is_type_email_and_not_spellchecked():
    name = "with spellcheck disabled"
    assert ours("input", name, forms.EmailField) == example("input", name, input={"type": "email"})


def test_a_label_takes_the_classes_it_is_given():
    assert ours("input", "default", label_class="govuk-label--s") == example(
        "input", "default", label={"class": "govuk-label govuk-label--s"}
    )


# Textareas


def textarea(rows: int = 5) -> forms.Textarea:
    # Django's Textarea has rows="10" unless told; GOV.UK's has 5.
    return forms.Textarea(attrs={"rows": rows})


@pytest.mark.parametrize(
    "name",
    ["default", "with hint", "with error message", "with hint and error message", "with default value"],
)
def test_a_textarea_is_govuk_textarea(name):
    assert ours("textarea", name, widget=textarea()) == example("textarea", name)


def test_a_textarea_keeps_the_rows_it_is_given():
    assert ours("textarea", "with custom rows", widget=textarea(rows=8)) == example(
        "textarea", "with custom rows"
    )


# Selects


class SelectWithDisabledOptions(forms.Select):
    def __init__(self, *args, disabled=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.disabled = {str(value) for value in disabled}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if str(value) in self.disabled:
            option["attrs"]["disabled"] = True
        return option


@pytest.mark.parametrize("name", ["default", "with selected value"])
def test_a_select_is_govuk_select_with_the_chosen_option_selected(name):
    widget = SelectWithDisabledOptions(disabled=[3])
    assert ours("select", name, forms.ChoiceField, widget=widget) == example("select", name)


@pytest.mark.parametrize("name", ["with hint text and error message", "error", "hint"])
def test_a_select_with_a_hint_or_an_error(name):
    assert ours("select", name, forms.ChoiceField) == example("select", name)


# Radios


class Radios(forms.ChoiceField):
    widget = forms.RadioSelect


@pytest.mark.parametrize(
    "name", ["default", "with hint", "with fieldset and error message", "with hint and error message"]
)
def test_radios_are_govuk_radios_in_a_fieldset(name):
    # "with fieldset and error message" also keeps the choice that was made.
    assert ours("radios", name, Radios) == example("radios", name)


def test_a_legend_takes_the_classes_it_is_given():
    legend = "govuk-fieldset__legend--s"
    assert ours("radios", "default", Radios, legend_class=legend) == example(
        "radios", "default", legend={"class": f"govuk-fieldset__legend {legend}"}
    )


# Checkboxes


class Checkboxes(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


@pytest.mark.parametrize("name", ["default", "with hint", "with error message and hint"])
def test_checkboxes_are_govuk_checkboxes_in_a_fieldset(name):
    assert ours("checkboxes", name, Checkboxes) == example("checkboxes", name)


def test_checkboxes_keep_every_box_that_was_ticked():
    options = fixtures("checkboxes")["default"]["options"]
    field = Checkboxes(
        label=options["fieldset"]["legend"]["text"],
        choices=[(item["value"], item["text"]) for item in options["items"]],
        required=False,
    )
    ours = rendered(options["name"], field, data={options["name"]: ["british", "other"]})
    assert ours == example(
        "checkboxes", "default", **{"#nationality": {"checked": ""}, "#nationality-3": {"checked": ""}}
    )


def test_a_single_yes_or_no_box_is_one_govuk_checkbox_described_by_its_error():
    # The macro prints the item's value; a Django BooleanField reads "true".
    field = forms.BooleanField(label="Waste from animal carcasses")
    ours = rendered("name-of-checkboxes", field, id="id-prefix", error="Please select an option")
    assert ours == example("checkboxes", "with error and idPrefix", input={"value": "true"})


# File uploads


@pytest.mark.parametrize("name", ["default", "with hint text", "error", "with error message and hint"])
def test_a_file_upload_is_govuk_file_upload(name):
    assert ours("file-upload", name, forms.FileField) == example("file-upload", name)


def test_a_file_upload_says_which_files_it_accepts():
    widget = forms.FileInput(attrs={"accept": ".jpg, .jpeg, .png"})
    assert ours("file-upload", "attributes", forms.FileField, widget=widget) == example(
        "file-upload", "attributes"
    )


# The error summary


@pytest.mark.parametrize("name", ["default", "without links", "mixed with and without links"])
def test_the_error_summary_is_govuk_error_summary_linking_each_error_to_its_field(name):
    options = fixtures("error-summary")[name]["options"]
    assert options["titleText"] == "There is a problem"
    for_fields = {item["href"][1:]: item["text"] for item in options["errorList"] if "href" in item}
    for_the_form = [item["text"] for item in options["errorList"] if "href" not in item]

    class ExampleForm(forms.Form):
        def clean(self):
            if for_the_form:
                raise ValidationError(for_the_form)

    fields = {name: forms.CharField(error_messages={"required": text}) for name, text in for_fields.items()}
    form = type("ExampleForm", (ExampleForm,), fields)({}, auto_id="%s")
    form.is_valid()

    assert structure(render_to_string("includes/error_summary.html", {"form": form})) == example(
        "error-summary", name
    )


def test_the_error_summary_links_radios_to_the_first_radio():
    form = type("ExampleForm", (forms.Form,), {"status": Radios(label="Status", choices=[("a", "A")])})({})
    html = render_to_string("includes/error_summary.html", {"form": form})
    html += render_to_string("includes/field.html", {"field": form["status"]})

    assert 'href="#id_status"' in html and 'id="id_status"' in html


# The rule itself


def test_no_template_builds_a_govuk_class_name_from_a_variable():
    # `govuk-{{ type }}es` once gave `govuk-radioes`, and unstyled radios on every form.
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "govuk-{{" in line or "govuk-{%" in line
    ]
    assert not offenders
