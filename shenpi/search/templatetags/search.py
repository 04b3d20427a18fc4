"""{{ text|marked:terms }} marks the words a query found; {{ html|snippet:terms }} shows a
short passage of rich text around the first of them."""

from django import template

from shenpi.common.richtext import plain_text

from ..terms import highlight

register = template.Library()

SNIPPET = 120  # characters of a passage


@register.filter
def marked(text, terms):
    return highlight(str(text or ""), terms or [])


@register.filter
def snippet(markup, terms):
    return highlight(plain_text(str(markup or "")), terms or [], around=SNIPPET)
