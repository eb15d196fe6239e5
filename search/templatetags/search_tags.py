from django import template
from django.utils.safestring import SafeString, mark_safe

from search.engine import highlight_html
from search.explain import Explanation, explain

register = template.Library()


@register.filter
def highlight(snippet: str | None) -> SafeString:
    """A search snippet, escaped, with only the matched words marked."""
    return mark_safe(highlight_html(snippet or ""))


@register.filter
def why_found(results, study) -> Explanation | None:
    """Why a result was found and its snippet: ``{% with found=shelf.search|why_found:study %}``."""
    if results is None or not results.active:
        return None
    return explain(results, study)
