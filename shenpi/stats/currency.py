"""信息时效: what a department publishes that may no longer be right — guides not reviewed
for SHENPI_GUIDE_REVIEW_MONTHS (a new version's legal review, or the department's
confirmation, is a review), FAQ written for a version no longer in force, and blank forms
or samples uploaded before the version in force took effect — listed for the department
and counted per department for supervision."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.accounts.scope import visible_departments
from shenpi.cases.services import add_months
from shenpi.catalog.models import Item, MaterialRequirement
from shenpi.consult.constants import FaqStatus
from shenpi.consult.models import Faq


def review_cutoff(today: date) -> date:
    """Reviewed before this day: due again."""
    return add_months(today, -settings.SHENPI_GUIDE_REVIEW_MONTHS)


def _local(moment) -> date | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return timezone.localtime(moment).date()
    return moment


def last_review(item: Item) -> date | None:
    version = item.current
    dates = [
        _local(version.reviewed_at) if version else None,
        version.effective_from if version else None,
        _local(item.guide_confirmed_at),
    ]
    dates = [d for d in dates if d]
    return max(dates) if dates else None


def stale_items(departments, today: date) -> list[dict]:
    cutoff = review_cutoff(today)
    rows = []
    for item in (
        Item.objects.filter(
            department__in=departments, current__isnull=False, abolished_at__isnull=True
        )
        .select_related("current", "department")
        .order_by("code")
    ):
        reviewed = last_review(item)
        if reviewed is None or reviewed < cutoff:
            rows.append({"item": item, "reviewed": reviewed})
    return rows


def faqs_to_review(departments):
    """Published FAQ written for an item's version that is no longer in force."""
    return (
        Faq.objects.filter(
            department__in=departments,
            status=FaqStatus.PUBLISHED,
            item__isnull=False,
            version__isnull=False,
        )
        .exclude(item__current=F("version"))
        .select_related("item__current", "version", "department")
        .order_by("item__code", "-published_at")
    )


def forms_to_review(departments) -> list[dict]:
    """Blank forms and samples of a version in force uploaded before it took effect:
    the new version may have changed what they should say."""
    rows, seen = [], set()
    for requirement in (
        MaterialRequirement.objects.filter(
            version__item__department__in=departments,
            version__item__current=F("version"),
        )
        .filter(Q(template__isnull=False) | Q(sample__isnull=False))
        .select_related("version__item", "template", "sample")
        .order_by("version__item__code", "order")
    ):
        took_effect = requirement.version.effective_from
        for form in (requirement.template, requirement.sample):
            if form is None or took_effect is None or (form.pk, requirement.version_id) in seen:
                continue
            if _local(form.uploaded_at) < took_effect:
                seen.add((form.pk, requirement.version_id))
                rows.append(
                    {"form": form, "item": requirement.version.item, "version": requirement.version}
                )
    return rows


def counts(departments, today: date) -> list[dict]:
    """Per department, how many of each: supervision's view."""
    found = {d.pk: {"department": d, "items": 0, "faqs": 0, "forms": 0} for d in departments}
    for row in stale_items(departments, today):
        found[row["item"].department_id]["items"] += 1
    for faq in faqs_to_review(departments):
        found[faq.department_id]["faqs"] += 1
    for row in forms_to_review(departments):
        found[row["item"].department_id]["forms"] += 1
    return [r for r in found.values() if r["items"] or r["faqs"] or r["forms"]]


def currency_departments(user) -> tuple[list, bool]:
    """Whose information this person looks after: an official or head their department,
    in detail (True); a supervisor every department of their divisions, counted (False);
    anyone else none."""
    if getattr(user, "is_system_client", False):
        return [], False
    if user.has_role(Role.OFFICIAL, Role.HEAD) and user.department is not None:
        return [user.department], True
    if not user.has_role(Role.SUPERVISOR):
        return [], False
    departments = visible_departments(user).filter(is_active=True)
    return list(departments.order_by("division__path", "code")), False
