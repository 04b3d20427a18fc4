"""一件事一次办: a bundle's combined form and merged list of materials (what the applicant
fills and uploads once), and the bundle's definition drafted, reviewed by the legal office
and published the way an item's version is (RCV-08, Art. 26: one intake and one delivery
where several departments are involved)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.audit.services import audit_record
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound

from .constants import VersionStatus
from .models import Bundle, BundleItem, Item, MaterialRequirement
from .selectors import version_materials
from .services import legal_office_for


@dataclass
class Material:
    """One material of the merged list: uploaded once, it supplies each item that asks
    for it (`requirements`: (item, requirement) pairs)."""

    key: str
    name: str
    required: bool = False
    notes: list[str] = field(default_factory=list)
    requirements: list[tuple[Item, MaterialRequirement]] = field(default_factory=list)

    @property
    def item_names(self) -> list[str]:
        return [item.current.name for item, _r in self.requirements]


def bundle_items(bundle: Bundle) -> list[Item]:
    return [
        bi.item
        for bi in BundleItem.objects.filter(bundle=bundle).select_related(
            "item__current", "item__department"
        )
    ]


def combined_form(items: list[Item]) -> list[dict]:
    """The items' form fields merged by key: a field several items ask for is asked once
    (required if any item requires it); the first item's label and type are shown."""
    fields: dict[str, dict] = {}
    for item in items:
        for f in item.current.form_fields or []:
            if f["key"] in fields:
                fields[f["key"]]["required"] = fields[f["key"]]["required"] or f.get("required")
            else:
                fields[f["key"]] = {**f, "required": bool(f.get("required"))}
    return list(fields.values())


def merged_materials(items: list[Item]) -> list[Material]:
    """Each item's materials, those of the same kind (the licence library's type, else the
    same name) merged into one upload."""
    merged: dict[str, Material] = {}
    for item in items:
        for requirement in version_materials(item.current):
            key = requirement.library_type or requirement.name
            material = merged.setdefault(key, Material(key=key, name=requirement.name))
            material.required = material.required or requirement.required
            material.requirements.append((item, requirement))
            if requirement.notes and requirement.notes not in material.notes:
                material.notes.append(requirement.notes)
    return list(merged.values())


def published_bundles():
    return Bundle.objects.filter(status=VersionStatus.PUBLISHED).order_by("code")


def _audit(bundle, action, actor, detail=None):
    audit_record(
        stream=f"bundle:{bundle.pk}",
        action=action,
        actor=actor,
        object_type="bundle",
        object_id=str(bundle.pk),
        detail={"code": bundle.code, **(detail or {})},
        division=bundle.division_id,
    )


def _check_items(items: list[Item]) -> None:
    if len(items) < 2:
        raise InvalidInput(
            "一件事套餐至少包含两个事项。", errors={"items": ["请至少选择两个事项。"]}
        )
    stale = [
        i.code
        for i in items
        if i.current is None or i.current.status != VersionStatus.PUBLISHED or i.abolished_at
    ]
    if stale:
        raise InvalidInput(
            f"套餐只能包含现行发布的事项：{'、'.join(stale)}。",
            errors={"items": ["含有未发布或已废止的事项。"]},
        )


@transaction.atomic
def bundle_draft(*, actor, code, name, event, division, items: list[Item]) -> Bundle:
    """An administrator drafts a bundle: a new one, the draft (or returned version) again,
    or the next version of one in force — which stays in force until that is published."""
    if getattr(actor, "is_system_client", False) or not actor.has_role(Role.ADMIN):
        raise NotFound("未找到该页面。")
    if not code or not name:
        raise InvalidInput(
            "请填写套餐编码和名称。", errors={"code": ["必填。"], "name": ["必填。"]}
        )
    _check_items(items)
    latest = Bundle.objects.select_for_update().filter(code=code).order_by("-number").first()
    if latest is not None and latest.status == VersionStatus.IN_REVIEW:
        raise Conflict("该套餐的新版本正在法制审核，不能修改。", code="in_review")
    if latest is not None and latest.status in (VersionStatus.DRAFT, VersionStatus.RETURNED):
        bundle = latest
    else:
        bundle = Bundle(code=code, number=latest.number + 1 if latest else 1)
    bundle.name, bundle.event, bundle.division = name, event, division
    bundle.status, bundle.drafted_by = VersionStatus.DRAFT, actor
    bundle.save()
    BundleItem.objects.filter(bundle=bundle).delete()
    BundleItem.objects.bulk_create(
        [BundleItem(bundle=bundle, item=item, order=n) for n, item in enumerate(items)]
    )
    _audit(
        bundle, "bundle.draft", actor, {"number": bundle.number, "items": [i.code for i in items]}
    )
    return bundle


@transaction.atomic
def bundle_submit(*, actor, bundle: Bundle) -> Bundle:
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    if getattr(actor, "is_system_client", False) or not actor.has_role(Role.ADMIN):
        raise NotFound("未找到该套餐。")
    if bundle.status not in (VersionStatus.DRAFT, VersionStatus.RETURNED):
        raise Conflict("只有草稿或退回的套餐可以提交审核。", code="not_a_draft")
    _check_items(bundle_items(bundle))
    bundle.status = VersionStatus.IN_REVIEW
    bundle.save(update_fields=["status"])
    _audit(bundle, "bundle.submit", actor)
    return bundle


def ensure_may_review(actor, bundle: Bundle) -> None:
    office = legal_office_for(bundle.division)
    if (
        getattr(actor, "is_system_client", False)
        or not actor.has_role(Role.LEGAL)
        or office is None
        or actor.department is None
        or actor.department.pk != office.pk
    ):
        raise NotFound("未找到该套餐，或它不由您的法制机构审核。")


@transaction.atomic
def bundle_review(*, actor, bundle: Bundle, approve: bool, comment: str = "") -> Bundle:
    """The legal office publishes it, or returns it with its reasons."""
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    ensure_may_review(actor, bundle)
    if bundle.status != VersionStatus.IN_REVIEW:
        raise Conflict("该套餐不在待审核状态。", code="not_in_review")
    if bundle.drafted_by_id == actor.pk:
        raise NotAllowed("不能审核自己起草的套餐。", code="own_draft")
    comment = (comment or "").strip()
    if not approve and not comment:
        raise InvalidInput("退回须写明审核意见。", errors={"comment": ["请填写退回理由。"]})
    if approve:
        _check_items(bundle_items(bundle))
        # The version in force gives way to this one (an application keeps its own).
        Bundle.objects.filter(code=bundle.code, status=VersionStatus.PUBLISHED).update(
            status=VersionStatus.SUPERSEDED
        )
    bundle.status = VersionStatus.PUBLISHED if approve else VersionStatus.RETURNED
    bundle.reviewed_by, bundle.reviewed_at, bundle.review_comment = actor, timezone.now(), comment
    bundle.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    _audit(
        bundle,
        "bundle.publish" if approve else "bundle.return",
        actor,
        {"number": bundle.number, "comment": comment},
    )
    return bundle
