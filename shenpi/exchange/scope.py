"""What a system may see of the exchange: the event types it subscribed to, of the
divisions (each with everything under it) and departments its administrator named, or
else of its own binding — its department, or its division and those under it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from shenpi.accounts.models import Department, Division


@dataclass(frozen=True)
class Scope:
    types: tuple[str, ...]  # prefixes; none: every type
    divisions: frozenset[str]
    departments: frozenset[str]  # department ids as text

    def admits(self, event) -> bool:
        if self.types and not event.type.startswith(self.types):
            return False
        return event.division in self.divisions or str(event.department) in self.departments

    def q(self) -> Q:
        where = Q(division__in=self.divisions) | Q(department__in=self.departments)
        if self.types:
            kinds = Q()
            for prefix in self.types:
                kinds |= Q(type__startswith=prefix)
            where &= kinds
        return where


def _subtree(codes) -> frozenset[str]:
    paths = Division.objects.filter(code__in=list(codes)).values_list("path", flat=True)
    found: set[str] = set()
    for path in paths:
        found.update(Division.objects.filter(path__startswith=path).values_list("code", flat=True))
    return frozenset(found)


def scope_of(client, subscriber=None) -> Scope:
    divisions = list(subscriber.divisions) if subscriber else []
    departments = list(subscriber.departments) if subscriber else []
    if not divisions and not departments:
        if client.division_id:
            divisions = [client.division_id]
        departments_ids = [str(client.department_id)] if client.department_id else []
    else:
        departments_ids = [
            str(pk)
            for pk in Department.objects.filter(code__in=departments).values_list("pk", flat=True)
        ]
    return Scope(
        types=tuple(subscriber.types) if subscriber and subscriber.types else (),
        divisions=_subtree(divisions),
        departments=frozenset(departments_ids),
    )
