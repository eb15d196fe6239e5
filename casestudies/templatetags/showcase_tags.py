from django import template
from django.utils.safestring import SafeString, mark_safe

from casestudies.richtext import render_markdown
from casestudies.search import highlight_html

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Render a Markdown section; the renderer escapes and cleans it."""
    return mark_safe(render_markdown(text))


@register.filter
def pounds(amount: int | None) -> str:
    """Whole pounds with thousands separators: 1250000 -> £1,250,000."""
    if amount is None:
        return ""
    return f"£{amount:,}"


@register.filter
def highlight(snippet: str | None) -> SafeString:
    """A search snippet, escaped, with only the matched words marked."""
    return mark_safe(highlight_html(snippet or ""))
