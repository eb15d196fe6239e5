import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from casestudies.richtext import render_markdown

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
def ago(moment) -> str:
    """ "3 days ago", or "just now" within the minute (timesince alone says "0 minutes")."""
    if moment is None:
        return ""
    if (timezone.now() - moment).total_seconds() < 60:
        return "just now"
    return f"{timesince(moment)} ago"


@register.simple_tag(takes_context=True)
def json_ld(context, data: dict) -> SafeString:
    """A schema.org JSON-LD block, escaped like json_script so that no text in it can close the tag."""
    payload = json.dumps(data, cls=DjangoJSONEncoder).translate(
        {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
    )
    nonce = context.get("csp_nonce", "")
    return format_html('<script type="application/ld+json" nonce="{}">{}</script>', nonce, mark_safe(payload))
