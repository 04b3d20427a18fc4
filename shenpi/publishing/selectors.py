"""Reads on published information: the public's search of policies (政策法规) and news."""

from __future__ import annotations

from django.db.models import QuerySet

from shenpi.search.terms import Term, ranked

from .models import Publication, PublicationStatus


def publication_search(terms: list[Term], *, kind: str = "") -> QuerySet[Publication]:
    """Published pieces matching the parsed query (shenpi.search.terms), best first."""
    pieces = Publication.objects.filter(status=PublicationStatus.PUBLISHED).select_related(
        "department"
    )
    if kind:
        pieces = pieces.filter(kind=kind)
    return ranked(pieces, terms).order_by("-rank", "-published_at")
