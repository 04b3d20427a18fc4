"""Reads on published information: the public's search of policies (政策法规) and news."""

from __future__ import annotations

from shenpi.common.paging import SlicePage, page_number
from shenpi.search.terms import Term, title_first

from .models import Publication, PublicationStatus


def publication_search(terms: list[Term], *, kind: str = "", page=1, per_page=10) -> SlicePage:
    """A page of the published pieces matching the parsed query (shenpi.search.terms):
    title matches first, then the others, each newest first."""
    pieces = Publication.objects.filter(status=PublicationStatus.PUBLISHED).select_related(
        "department"
    )
    if kind:
        pieces = pieces.filter(kind=kind)
    number = page_number(page)
    rows, more = title_first(
        pieces,
        terms,
        order=("-published_at", "-id"),
        offset=(number - 1) * per_page,
        limit=per_page,
    )
    return SlicePage(rows=rows, number=number, has_next=more)
