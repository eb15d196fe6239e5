"""The filter panel's options, drawn in Python.

A shelf page draws about eighty options, each with its box, label and count;
through the template language they took a third of the page's rendering time,
and each one is the same few lines of markup (GOV.UK Frontend's small radios
and checkboxes)."""

from typing import TYPE_CHECKING

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from browse.shelves import FilterGroup

register = template.Library()

COUNT = ' <span class="app-count" id="{}-count">({})</span>'
ITEM = (
    '<div class="govuk-{kind}__item">'
    '<input class="govuk-{kind}__input" id="{id}" name="{name}" type="{type}" value="{value}"{checked}>'
    '<label class="govuk-label govuk-{kind}__label" for="{id}">{label}{count}</label>'
    "</div>\n"
)


@register.simple_tag
def filter_options(group: "FilterGroup") -> SafeString:
    """Each option of a group of radios or checkboxes, with its count when there are counts."""
    kind, type_ = ("radios", "radio") if group.kind == "radios" else ("checkboxes", "checkbox")
    checked = mark_safe(" checked")
    return format_html_join(
        "",
        ITEM,
        (
            {
                "kind": kind,
                "type": type_,
                "id": option.id,
                "name": group.name,
                "value": option.value,
                "checked": checked if option.checked else "",
                "label": option.label,
                "count": "" if option.count is None else format_html(COUNT, option.id, option.count),
            }
            for option in group.options
        ),
    )
