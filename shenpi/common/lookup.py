"""Finding an object by an id that came from outside (a URL, a form field, a query
parameter): an id that is not of the model's kind ("abc" for a number, a broken UUID) is a
missing object, answered as such — never a 500."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404


def by_id(queryset: QuerySet | type[Model], value, **more):
    """The object whose primary key is `value` (with the further lookups), or None."""
    qs = queryset.objects.all() if isinstance(queryset, type) else queryset
    if value in (None, ""):
        return None
    try:
        return qs.filter(pk=value, **more).first()
    except (ValueError, TypeError, ValidationError):
        return None


def by_id_or_404(queryset: QuerySet | type[Model], value, **more):
    found = by_id(queryset, value, **more)
    if found is None:
        raise Http404
    return found
