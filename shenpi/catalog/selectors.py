"""Reads on the catalogue: the items in force, search, versions, differences."""

from __future__ import annotations

import re

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from shenpi.accounts.models import Division
from shenpi.core.errors import InvalidInput
from shenpi.search.terms import checked_query, parse, terms_q

from .constants import VersionStatus
from .models import Item, ItemVersion, MaterialRequirement

PUBLIC_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED, VersionStatus.ABOLISHED)


def items_in_force() -> QuerySet[Item]:
    return Item.objects.filter(current__isnull=False, abolished_at__isnull=True).select_related(
        "current", "department__division", "department__kind"
    )


# A published version's materials, by the version's id: published versions are frozen
# (services.py: the next version is a copy, never an edit), so each process reads a list
# once; every submission checks its uploads against it.
_FROZEN_MATERIALS: dict = {}
_FROZEN_KEPT = 1024


def version_materials(version: ItemVersion) -> list[MaterialRequirement]:
    """The version's material list in its order (read once per process once published)."""
    if version.status not in PUBLIC_STATUSES:
        return list(version.materials.all())
    kept = _FROZEN_MATERIALS.get(version.pk)
    if kept is None:
        if len(_FROZEN_MATERIALS) >= _FROZEN_KEPT:
            _FROZEN_MATERIALS.clear()
        kept = _FROZEN_MATERIALS[version.pk] = tuple(version.materials.all())
    return list(kept)


def clean_query(q: str | None) -> list[str]:
    """Search terms: the search box's check (shenpi.search.terms.checked_query), odd
    characters dropped, at most 5 words."""
    q = checked_query(q)
    q = re.sub(r"[^0-9A-Za-z\u3400-\u9fff]+", " ", q)
    return [t for t in q.split() if t][:5]


def item_search(
    *,
    q: str = "",
    department: str = "",
    division: str = "",
    theme: str = "",
    kind: str = "",
    audience: str = "",
) -> QuerySet[Item]:
    """Filtered items in force; with a query, the best matches first (same order on every database).

    Each term must match the name, the pinyin initials, the department or a
    material, as typed or by its words (their synonyms, their full pinyin). Scores are whole numbers computed in SQL: name exact 100, name
    starts with 80, name contains 60, initials start 50, initials contain 40,
    department 30, material 20; ties by item code.
    """
    qs = items_in_force()
    if department:
        qs = qs.filter(department__code=department)
    if division:
        root = Division.objects.filter(code=division).first()
        qs = qs.filter(department__division__path__startswith=root.path) if root else qs.none()
    if theme:
        qs = qs.filter(current__themes__code=theme)
    if kind:
        qs = qs.filter(current__kind=kind)
    if audience:
        qs = qs.filter(current__audience__in=[audience, "both"])
    terms = clean_query(q)
    if not terms:
        return qs.order_by("code")
    score = Value(0, output_field=IntegerField())
    for term in terms:
        lowered = term.lower()
        matched = Q(current__search_text__icontains=term) | Q(
            current__name_initials__contains=lowered
        )
        words = parse(term)
        if words:  # by its words, their synonyms and their full pinyin (shenpi.search)
            matched |= terms_q(words, "current__search_terms")
        qs = qs.filter(matched)
        score = score + Case(
            When(current__name=term, then=Value(100)),
            When(current__name__startswith=term, then=Value(80)),
            When(current__name__icontains=term, then=Value(60)),
            When(current__name_initials__startswith=lowered, then=Value(50)),
            When(current__name_initials__contains=lowered, then=Value(40)),
            When(
                Q(department__name__icontains=term) | Q(department__short_name__icontains=term),
                then=Value(30),
            ),
            default=Value(20),
            output_field=IntegerField(),
        )
    return qs.annotate(score=score).order_by("-score", "code")


def version_with_children(version_id) -> ItemVersion:
    return (
        ItemVersion.objects.select_related("item__department__division", "lower_kind")
        .prefetch_related(
            Prefetch(
                "materials",
                queryset=MaterialRequirement.objects.select_related("template", "sample"),
            ),
            "fees",
            "themes",
        )
        .get(pk=version_id)
    )


def upcoming_version(item: Item) -> ItemVersion | None:
    """A published version that comes into force later ("in force from …")."""
    return (
        item.versions.filter(
            status=VersionStatus.PUBLISHED, effective_from__gt=timezone.localdate()
        )
        .order_by("number")
        .first()
    )


def public_versions(item: Item) -> QuerySet[ItemVersion]:
    return item.versions.filter(status__in=PUBLIC_STATUSES).order_by("-number")


def version_summary(version: ItemVersion) -> dict[str, str]:
    """Every public element as display text, for the difference view."""
    from shenpi.core.flow import parse_flow

    rows: dict[str, str] = {}
    from .services import VERSION_FIELDS

    simple = [f.removesuffix("_id") for f in VERSION_FIELDS if f not in ("form_fields", "flow")]
    for name in simple:
        field = ItemVersion._meta.get_field(name)
        value = getattr(version, name)
        if field.choices:
            value = getattr(version, f"get_{name}_display")()
        elif isinstance(value, bool):
            value = "是" if value else "否"
        rows[str(field.verbose_name)] = "" if value is None else str(value)
    rows["主题"] = "、".join(t.name for t in version.themes.all())
    rows["申请材料"] = "\n".join(
        f"{m.order}. {m.name}（{'必需' if m.required else '选交'}，{m.get_copies_kind_display()}{m.copies}份，"
        f"{m.get_medium_display()}{'，可容缺' if m.lenient_allowed else ''}{'，须核验原件' if m.show_original else ''}）"
        for m in version.materials.all()
    )
    rows["收费"] = (
        "\n".join(f"{f.name}：{f.standard}（依据：{f.legal_basis}）" for f in version.fees.all())
        or "不收费"
    )
    try:
        flow = parse_flow(version.flow)
        rows["办理流程"] = " → ".join(
            " ∥ ".join(
                f"{s.name}（{s.owner.department or '下级' + (s.owner.kind or '')}，{s.days}日）"
                for s in stage.steps
            )
            for stage in flow.stages
        )
    except InvalidInput:
        rows["办理流程"] = "（流程有误）"
    rows["申请表字段"] = "、".join(f"{f.get('label')}" for f in version.form_fields or [])
    return rows


def version_diff(old: ItemVersion | None, new: ItemVersion) -> list[tuple[str, str, str]]:
    """(element, before, after) for every element that differs."""
    after = version_summary(new)
    before = version_summary(old) if old else dict.fromkeys(after, "")
    return [(k, before.get(k, ""), v) for k, v in after.items() if before.get(k, "") != v]
