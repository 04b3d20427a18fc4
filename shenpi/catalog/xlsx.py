"""Departments keep their item lists in spreadsheets: export and import them (openpyxl).

Sheet 事项: one row per item (its latest version); sheet 材料: one row per
material, keyed by the item code. Import creates new items, or updates the
open draft of an existing one (or starts a draft); nothing is saved unless
every row is valid.
"""

from __future__ import annotations

import io

from django.db import transaction
from openpyxl import Workbook, load_workbook

from shenpi.core.errors import DomainError, InvalidInput

from . import services
from .constants import Copies, HandlingMode, ItemKind, Medium, VersionStatus
from .models import Item

ITEM_COLUMNS = [
    ("code", "事项编码"),
    ("name", "事项名称"),
    ("kind", "办件类型"),
    ("handling_mode", "办理方式"),
    ("statutory_days", "法定时限"),
    ("promised_days", "承诺时限"),
    ("extension_days", "可延长"),
    ("legal_basis", "设定依据"),
    ("conditions", "申请条件"),
    ("procedure", "办理程序"),
    ("where_to_apply", "办理地点"),
    ("office_hours", "办理时间"),
    ("contact_phone", "咨询电话"),
    ("complaint_phone", "投诉电话"),
    ("responsible_office", "承办机构"),
]
MATERIAL_COLUMNS = [
    ("code", "事项编码"),
    ("name", "材料名称"),
    ("required", "必需"),
    ("copies_kind", "原件/复印件"),
    ("copies", "份数"),
    ("medium", "载体"),
    ("lenient_allowed", "可容缺"),
    ("show_original", "核验原件"),
    ("notes", "说明"),
]
CHOICES = {
    "kind": {label: value for value, label in ItemKind.choices},
    "handling_mode": {label: value for value, label in HandlingMode.choices},
    "copies_kind": {label: value for value, label in Copies.choices},
    "medium": {label: value for value, label in Medium.choices},
}


def export_items(department) -> bytes:
    book = Workbook()
    items_sheet = book.active
    items_sheet.title = "事项"
    items_sheet.append([label for _k, label in ITEM_COLUMNS])
    materials_sheet = book.create_sheet("材料")
    materials_sheet.append([label for _k, label in MATERIAL_COLUMNS])
    for item in Item.objects.filter(department=department).order_by("code"):
        version = item.versions.order_by("-number").first()
        row = []
        for key, _label in ITEM_COLUMNS:
            if key == "code":
                row.append(item.code)
            elif key in CHOICES:
                row.append(getattr(version, f"get_{key}_display")())
            else:
                row.append(getattr(version, key))
        items_sheet.append(row)
        for m in version.materials.all():
            materials_sheet.append(
                [
                    item.code,
                    m.name,
                    _yes(m.required),
                    m.get_copies_kind_display(),
                    m.copies,
                    m.get_medium_display(),
                    _yes(m.lenient_allowed),
                    _yes(m.show_original),
                    m.notes,
                ]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _yes(value: bool) -> str:
    return "是" if value else "否"


def _rows(sheet, columns):
    rows = sheet.iter_rows(values_only=True)
    header = [str(c or "").strip() for c in next(rows, [])]
    labels = [label for _k, label in columns]
    if header[: len(labels)] != labels:
        raise InvalidInput(
            f"工作表“{sheet.title}”的表头应为：{'、'.join(labels)}。", code="bad_header"
        )
    for number, values in enumerate(rows, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        yield (
            number,
            {k: values[i] if i < len(values) else None for i, (k, _l) in enumerate(columns)},
        )


def _choice(key, value, where, errors):
    if value in CHOICES[key].values():
        return value
    if value in CHOICES[key]:
        return CHOICES[key][value]
    errors.append(f"{where}：“{value}”不是有效的选项（{'、'.join(CHOICES[key])}）。")
    return None


def import_items(*, actor, department, upload) -> dict:
    from shenpi.common.files import check_upload

    checked = check_upload(
        upload,
        allowed={"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx"},
        max_bytes=5 * 1024 * 1024,
        label="导入文件",
    )
    book = load_workbook(io.BytesIO(checked.data), read_only=True, data_only=True)
    if "事项" not in book.sheetnames or "材料" not in book.sheetnames:
        raise InvalidInput(
            "导入文件须有“事项”和“材料”两个工作表（可先导出一份作为模板）。", code="bad_sheets"
        )
    errors: list[str] = []
    materials: dict[str, list[dict]] = {}
    for number, row in _rows(book["材料"], MATERIAL_COLUMNS):
        where = f"材料表第 {number} 行"
        materials.setdefault(str(row["code"] or "").strip(), []).append(
            {
                "name": str(row["name"] or "").strip(),
                "required": str(row["required"] or "是").strip() != "否",
                "copies_kind": _choice(
                    "copies_kind", row["copies_kind"] or "复印件", where, errors
                ),
                "copies": int(row["copies"] or 1),
                "medium": _choice("medium", row["medium"] or "电子", where, errors),
                "lenient_allowed": str(row["lenient_allowed"] or "否").strip() == "是",
                "show_original": str(row["show_original"] or "否").strip() == "是",
                "notes": str(row["notes"] or ""),
            }
        )
    items = []
    for number, row in _rows(book["事项"], ITEM_COLUMNS):
        where = f"事项表第 {number} 行"
        data = {k: (str(v).strip() if isinstance(v, str) else v) for k, v in row.items()}
        data["kind"] = _choice("kind", data["kind"], where, errors)
        data["handling_mode"] = _choice("handling_mode", data["handling_mode"], where, errors)
        for key in ("statutory_days", "promised_days", "extension_days"):
            try:
                data[key] = int(data[key])
            except (TypeError, ValueError):
                errors.append(f"{where}：{dict(ITEM_COLUMNS)[key]}须为整数。")
        items.append((number, data))
    if errors:
        raise InvalidInput(
            "导入文件有误，未导入任何内容。", code="import_invalid", errors={"导入": errors}
        )
    report = {"created": 0, "updated": 0}
    with transaction.atomic():
        for number, data in items:
            code = str(data.pop("code") or "").strip()
            rows = materials.get(code, [])
            try:
                item = Item.objects.filter(code=code, department=department).first()
                if item is None:
                    flow = {
                        "stages": [
                            {
                                "steps": [
                                    {
                                        "key": "review",
                                        "name": "审核",
                                        "owner": {"department": department.code},
                                        "role": "official",
                                        "days": 3,
                                        "lead": True,
                                    }
                                ]
                            },
                            {
                                "steps": [
                                    {
                                        "key": "decision",
                                        "name": "批复",
                                        "owner": {"department": department.code},
                                        "role": "head",
                                        "days": 2,
                                        "lead": True,
                                        "decision": True,
                                    }
                                ]
                            },
                        ]
                    }
                    services.item_create(
                        actor=actor,
                        department=department,
                        code=code,
                        data={**data, "flow": flow},
                        materials=rows,
                        fees=[],
                    )
                    report["created"] += 1
                else:
                    draft = item.versions.filter(
                        status__in=[VersionStatus.DRAFT, VersionStatus.RETURNED]
                    ).first()
                    draft = draft or services.version_draft_next(actor=actor, item=item)
                    keep_fees = list(draft.fees.values("name", "standard", "legal_basis"))
                    # The sheet does not carry forms and library links: keep them by material name.
                    existing = {
                        m["name"]: m for m in draft.materials.values(*services.MATERIAL_FIELDS)
                    }
                    merged = [{**existing.get(r["name"], {}), **r} for r in rows] or list(
                        existing.values()
                    )
                    services.version_update(
                        actor=actor, version=draft, data=data, materials=merged, fees=keep_fees
                    )
                    report["updated"] += 1
            except DomainError as exc:
                details = [
                    f"事项表第 {number} 行（{code}）：{m}"
                    for errs in exc.errors.values()
                    for m in errs
                ]
                raise InvalidInput(
                    "导入文件有误，未导入任何内容。",
                    code="import_invalid",
                    errors={"导入": details or [exc.message]},
                ) from None
    return report
