"""The benchmark's bundle (一件事一次办): three items of the regional water department, copies
of the water permit with their own materials — eight requirements that merge into six
uploads (an identity document and a business licence asked by two items each) — published
with a bundle over them. Written directly: this is the bench's world, not an act of the
platform's."""

from __future__ import annotations

from django.db import transaction

BUNDLE_CODE = "BENCH-3x6"
SOURCE_ITEM = "640000-SLT-001"
ITEMS = {
    # code: (its own form, then (material, licence-library type) pairs)
    "BENCH-B1": ("申请书（甲）", ("身份证明", "居民身份证"), ("营业执照", "营业执照")),
    "BENCH-B2": ("申请书（乙）", ("身份证明", "居民身份证"), ("场所证明", "")),
    "BENCH-B3": ("申请书（丙）", ("营业执照", "营业执照")),
}


@transaction.atomic
def bench_bundle():
    """The bundle (made once), its three items and their requirements."""
    from shenpi.catalog.constants import VersionStatus
    from shenpi.catalog.models import Bundle, BundleItem, Item, MaterialRequirement

    bundle = Bundle.objects.filter(code=BUNDLE_CODE).first()
    if bundle is not None:
        return bundle
    source = Item.objects.select_related("current").get(code=SOURCE_ITEM)
    items = []
    for n, (code, (first, *more)) in enumerate(ITEMS.items()):
        item = Item.objects.create(code=code, department=source.department)
        version = source.current
        version.pk = None
        version.item = item
        version.name = f"基准测试事项{n + 1}"
        version.status = VersionStatus.PUBLISHED
        version.save(force_insert=True)
        Item.objects.filter(pk=item.pk).update(current=version)
        item.current = version
        requirements = [(first, "")] + [tuple(m) for m in more]
        for order, (name, kind) in enumerate(requirements):
            MaterialRequirement.objects.create(
                version=version, order=order, name=name, required=True, library_type=kind
            )
        items.append(item)
    bundle = Bundle.objects.create(
        code=BUNDLE_CODE,
        name="基准测试一件事",
        event="三个事项一次申请",
        division=source.department.division,
        status=VersionStatus.PUBLISHED,
    )
    BundleItem.objects.bulk_create(
        [BundleItem(bundle=bundle, item=item, order=n) for n, item in enumerate(items)]
    )
    return bundle


def bundle_form(fields: list[dict], k: int) -> dict:
    """A filled combined form: numbers, choices and dates as the fields take them."""
    out = {}
    for f in fields:
        if f["type"] == "number":
            out[f["key"]] = str(100 + k % 400)
        elif f["type"] == "choice":
            out[f["key"]] = f["choices"][k % len(f["choices"])]
        elif f["type"] == "date":
            out[f["key"]] = "2027-06-30"
        elif f["type"] == "boolean":
            out[f["key"]] = "true"
        else:
            out[f["key"]] = f"{f['key']}-{k}"
    return out
