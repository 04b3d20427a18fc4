"""一件事一次办: one application for a bundle — one form, each material uploaded once, one
submission — made into one case per item in one transaction (all or none), each at its
own department with its own clock, through the same submission as any application."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from shenpi.audit.services import audit_records
from shenpi.catalog.bundles import bundle_items, combined_form, merged_materials
from shenpi.catalog.constants import VersionStatus
from shenpi.core.errors import Conflict, DomainError, InvalidInput, NotAllowed

from .. import access, records
from ..constants import BundleDelivery, CaseStatus, Channel
from ..models import BundleApplication
from .applying import case_submit_whole, check_submission, checked_material


def bundle_apply(
    *,
    actor,
    bundle,
    applicant,
    form_data: dict,
    uploads: dict,
    declaration: bool,
    delivery: str = BundleDelivery.TOGETHER,
    channel: str = Channel.ONLINE,
    chosen_division=None,
    submission_key: str = "",
) -> BundleApplication:
    """`uploads`: merged material key → file. Everything is checked for every item before
    anything is written, and every problem is named with its item; then one case per item
    is submitted, all in one transaction."""
    submission_key = (submission_key or "")[:64]
    if submission_key:
        made = BundleApplication.objects.filter(
            applicant=applicant, submission_key=submission_key
        ).first()
        if made is not None:
            return made  # the same form again: a double click or a retry
    if bundle.status != VersionStatus.PUBLISHED:
        raise Conflict("该一件事套餐未发布，不能申请。", code="bundle_not_published")
    if delivery not in BundleDelivery.values:
        raise InvalidInput("请选择送达方式。", errors={"delivery": ["送达方式无效。"]})
    items = bundle_items(bundle)
    if actor.pk != applicant.pk and not any(
        access.is_clerk_for(actor, i.department) for i in items
    ):
        raise NotAllowed("您不能代他人申请该一件事。", code="not_on_behalf")
    materials = merged_materials(items)
    by_item = {item.pk: {} for item in items}
    errors: dict[str, list[str]] = {}
    for material in materials:
        upload = uploads.get(material.key)
        if upload is None:
            continue
        try:
            # Checked once, however many items it supplies (the check opens the whole file).
            checked = checked_material(upload, f"“{material.name}”")
        except DomainError as exc:
            errors.setdefault("materials", []).append(exc.message)
            continue
        for item, requirement in material.requirements:
            by_item[item.pk][requirement.pk] = checked
    fields = {f["key"] for f in combined_form(items)}
    data = {k: v for k, v in (form_data or {}).items() if k in fields}
    for item in items:
        try:
            check_submission(
                item.current, data, declaration=declaration, present=set(by_item[item.pk])
            )
        except InvalidInput as exc:
            for key, messages in exc.errors.items():
                named = (
                    [f"{item.current.name}：{m}" for m in messages]
                    if key == "materials"
                    else messages
                )
                for message in named:
                    if message not in errors.setdefault(key, []):
                        errors[key].append(message)
    if errors:
        raise InvalidInput(
            "一件事申请还不完整，请按提示补充后再提交。", code="incomplete", errors=errors
        )
    try:
        return _submit(actor, bundle, applicant, items, by_item, data, declaration, delivery,
                       channel, chosen_division, submission_key)  # fmt: skip
    except IntegrityError:
        # The same form's other request (a double click) committed first: its application.
        made = (
            BundleApplication.objects.filter(
                applicant=applicant, submission_key=submission_key
            ).first()
            if submission_key
            else None
        )
        if made is None:
            raise
        return made


def _submit(actor, bundle, applicant, items, by_item, data, declaration, delivery, channel,
            chosen_division, submission_key) -> BundleApplication:  # fmt: skip
    numbers = []
    with transaction.atomic():
        application = BundleApplication.objects.create(
            bundle=bundle,
            applicant=applicant,
            delivery=delivery,
            submitted_at=timezone.now(),
            submission_key=submission_key,
        )
        for item in items:
            case = case_submit_whole(
                actor=actor,
                item=item,
                applicant=applicant,
                chosen_division=chosen_division if item.current.two_level else None,
                uploads=by_item[item.pk],
                declaration=declaration,
                form_data={k: v for k, v in data.items()
                           if k in {f["key"] for f in item.current.form_fields or []}},
                channel=channel,
                bundle_application=application,
            )  # fmt: skip
            numbers.append(case.number)
        # The application's own stream, new with it (one insert, no lock to take).
        audit_records(
            stream=f"bundle_application:{application.pk}",
            new_stream=True,
            division=bundle.division_id,
            entries=[("bundle.apply", {"bundle": bundle.code, "cases": numbers})],
            actor=actor,
            object_type="bundle_application",
            object_id=str(application.pk),
        )
    return application


def bundle_progress(application: BundleApplication) -> dict:
    """One view of the bundle's cases: each case, how many are decided, whether all are."""
    cases = list(
        application.cases.select_related("version", "department").order_by("department__code")
    )
    decided = [c for c in cases if c.outcome or c.status in (CaseStatus.CLOSED,)]
    ended = [c for c in cases if c.is_terminal]
    return {
        "cases": cases,
        "decided": len(decided),
        "all_done": len({c.pk for c in decided} | {c.pk for c in ended}) == len(cases),
        "today": records.today(),
    }


def bundle_after_decision(case) -> None:
    """The bundle's last case decided: the applicant who chose to receive the results
    together is told, once, that all are ready. (Each department still delivers its own
    result within its limit — TL-04, Art. 44 — so nothing is held back.)"""
    application = BundleApplication.objects.select_for_update().get(pk=case.bundle_application_id)
    if application.delivered_message_at is not None:
        return
    progress = bundle_progress(application)
    if not progress["all_done"]:
        return
    application.delivered_message_at = timezone.now()
    application.save(update_fields=["delivered_message_at"])
    if application.delivery == BundleDelivery.TOGETHER:
        lines = "；".join(
            f"{c.version.name}：{c.get_outcome_display() or c.get_status_display()}"
            for c in progress["cases"]
        )
        records.tell_applicant(
            case, f"“{application.bundle.name}”已全部办结", f"{lines}。可一并领取结果。"
        )
