"""Answers written by officials as rich text limited to safe HTML (issue 22): paragraphs,
emphasis, lists, simple tables and links to guides, forms and other pages; nothing that
runs, loads or styles. Plain text is turned into paragraphs, its addresses into links."""

from __future__ import annotations

import html
import re

import nh3
from django.utils.html import linebreaks, urlize

TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "h4", "h5",
    "blockquote", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_BLOCK = re.compile(r"<(p|ul|ol|table|h4|h5|blockquote)\b", re.I)


def safe_html(text: str) -> str:
    """The text as safe HTML: markup kept within TAGS and ATTRIBUTES (links only to web,
    mail and phone addresses or to the platform's own pages), everything else dropped;
    plain text (no tag in it) as escaped paragraphs with its addresses linked."""
    text = (text or "").strip()
    if not _TAG.search(text):
        text = linebreaks(urlize(text, autoescape=True), autoescape=False)
    elif not _BLOCK.search(text):  # inline marks only: the lines are still paragraphs
        text = linebreaks(text, autoescape=False)
    return nh3.clean(
        text,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()


def plain_text(markup: str) -> str:
    """What a reader of the HTML reads: the text without its tags, whitespace squeezed."""
    text = nh3.clean(re.sub(r"<(br|/p|/li|/tr|/h4|/h5)\b[^>]*>", "\n", markup or ""), tags=set())
    text = re.sub(r"[ \t]+", " ", html.unescape(text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
