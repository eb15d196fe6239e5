from django import template
from django.utils.safestring import SafeString, mark_safe

from search.engine import highlight_html

register = template.Library()


@register.filter
def highlight(snippet: str | None) -> SafeString:
    """A search snippet, escaped, with only the matched words marked."""
    return mark_safe(highlight_html(snippet or ""))
