"""The periodic job's deemed events (RCV-04, RNW-02, Art. 32(4), 50) and the dates a
new working-day schedule moves (CONTRACTS.md "The clock")."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from shenpi.catalog.constants import ItemKind
from shenpi.core import clock, transitions
from shenpi.notify.services import notify
from shenpi.workdays.services import calendar

from .. import records
from ..constants import (
    RENEWAL_PENDING,
    CaseStatus,
    LicenceStatus,
    Outcome,
)
from ..models import (
    BundleApplication,
    Case,
    HeldCorrection,
    Licence,
)
from .decision import add_months, licence_render
from .intake import bundle_gather, case_terminate, deem_accepted, deem_withdrawn


def licences_renewal_watch(today: date | None = None) -> dict:
    """RNW-01: remind holders before the renewal lead time; RNW-02: a renewal not decided
    by the expiry date is deemed granted, recorded and flagged for supervision."""
    today = today or records.today()
    report = {"reminded": 0, "deemed_renewed": 0}
    for licence in Licence.objects.filter(
        status=LicenceStatus.VALID,
        valid_until__isnull=False,
        reminded_at__isnull=True,
        valid_until__gte=today,
    ).select_related("case__version", "holder"):
        lead = licence.case.version.renewal_lead_days or 30
        if today >= licence.valid_until - timedelta(days=lead + 30):
            with transaction.atomic():
                notify(
                    licence.holder,
                    title=f"证照即将到期：{licence.name}",
                    body=f"编号 {licence.number} 有效期至 {licence.valid_until:%Y-%m-%d}，需要延续的，请于届满 "
                    f"{lead} 日前（{licence.valid_until - timedelta(days=lead):%Y-%m-%d} 前）提出申请（第五十条）。",
                )
                Licence.objects.filter(pk=licence.pk).update(reminded_at=timezone.now())
            report["reminded"] += 1
    pending = Case.objects.filter(
        kind="renewal", status__in=RENEWAL_PENDING, licence__valid_until__lt=today
    ).values_list("pk", flat=True)
    for case_id in pending:
        with transaction.atomic():
            case = records.lock(Case(pk=case_id))
            licence = (
                Licence.objects.select_for_update()
                .select_related("department")
                .get(pk=case.licence_id)
            )
            if (
                licence.valid_until >= today
                or not transitions.allowed("deem_renew", case.status)
                or licence.status not in (LicenceStatus.VALID, LicenceStatus.EXPIRED)
            ):
                continue
            now = timezone.now()
            licence.valid_until = add_months(
                licence.valid_until, case.version.validity_months or 12
            )
            licence.deemed_renewed_at = now
            # RNW-02 (Art. 50 ¶2): renewed, so valid again even if the expiry job ran first.
            licence.status = LicenceStatus.VALID
            licence_render(licence, issued=records.local_date(now))
            licence.save(update_fields=["valid_until", "deemed_renewed_at", "status", "file"])
            case.status = transitions.move("deem_renew", case.status)
            case.outcome, case.decided_at = Outcome.GRANTED, now
            case.reason_text = "有效期届满前未作出决定，视为准予延续（第五十条第二款）"
            case.save(update_fields=["status", "outcome", "decided_at", "reason_text"])
            records.cancel_open_tasks(case)
            records.event(case, "deemed_renewed", case.reason_text, breach="RNW-02")
            records.audit(
                case, "case.deemed_renew", None, {"valid_until": licence.valid_until.isoformat()}
            )
            records.tell_applicant(
                case, "视为准予延续", f"有效期延续至 {licence.valid_until:%Y-%m-%d}。"
            )
            report["deemed_renewed"] += 1
    return report


def cases_deadlines(today: date | None = None) -> dict:
    """Deemed acceptance (RCV-04), deemed withdrawal, missed 容缺 pieces. Each case in
    its own transaction, so one failure does not hold back the others. A lower-level
    platform's own cases are its to deem (they are read-only here)."""
    today = today or records.today()
    report = {"deemed_accepted": 0, "deemed_withdrawn": 0, "terminated": 0, "gathered": 0}
    # 一件事一次办: held correction requests go out as one notice on the bundle's earliest
    # five-working-day limit at the latest (RCV-04), before anything is deemed accepted.
    for application_id in (
        HeldCorrection.objects.filter(case__correction_due__lte=today)
        .values_list("case__bundle_application_id", flat=True)
        .distinct()
    ):
        with transaction.atomic():
            application = BundleApplication.objects.select_for_update().get(pk=application_id)
            if bundle_gather(application, today, due_reached=True):
                report["gathered"] += 1
    for case_id in Case.objects.filter(
        status=CaseStatus.RECEIVED, correction_due__lt=today, source_client__isnull=True
    ).values_list("pk", flat=True):
        if deem_accepted(case_id, today):
            report["deemed_accepted"] += 1
    for case_id in Case.objects.filter(
        status=CaseStatus.CORRECTION_REQUESTED, supplement_due__lt=today, source_client__isnull=True
    ).values_list("pk", flat=True):
        if deem_withdrawn(case_id, today):
            report["deemed_withdrawn"] += 1
    for case_id in Case.objects.filter(
        status=CaseStatus.PROCESSING, lenient_due__lt=today, source_client__isnull=True
    ).values_list("pk", flat=True):
        with transaction.atomic():
            case = records.lock(Case(pk=case_id))
            lenient = set(
                case.version.materials.filter(lenient_allowed=True).values_list("pk", flat=True)
            )
            supplied = set(
                case.materials.filter(requirement_id__in=lenient).values_list(
                    "requirement_id", flat=True
                )
            )
            required_lenient = {
                r.pk for r in case.version.materials.filter(pk__in=lenient, required=True)
            }
            if required_lenient - supplied:
                case_terminate(actor=None, case=case, reason="容缺材料逾期未补交")
                report["terminated"] += 1
            else:
                Case.objects.filter(pk=case.pk).update(lenient_due=None)
    return report


def cases_recompute_provisional() -> list[dict]:
    """Once a year's schedule is announced, recompute every provisional due date;
    returns the cases whose dates moved (the administrator is shown the list)."""
    from ..constants import TERMINAL

    cal = calendar()
    moved = []
    cases = (
        Case.objects.filter(
            due_provisional=True, accepted_at__isnull=False, source_client__isnull=True
        )
        .exclude(status__in=TERMINAL)
        .select_related("version")
    )
    for case in cases:
        with transaction.atomic():
            case = records.lock(case)
            start = records.local_date(case.accepted_at)
            shift_days = case.suspended_days + case.extension_days
            promised = 1 if case.version.kind == ItemKind.INSTANT else case.promised_limit
            statutory_due = clock.add_working_days(
                cal, start, case.version.statutory_days + shift_days
            )
            promised_due = clock.add_working_days(cal, start, promised + shift_days)
            provisional = cal.any_provisional(start, statutory_due)
            if (statutory_due, promised_due) != (case.statutory_due, case.promised_due):
                moved.append(
                    {
                        "number": case.number,
                        "statutory": (case.statutory_due, statutory_due),
                        "promised": (case.promised_due, promised_due),
                    }
                )
                records.event(
                    case,
                    "recomputed",
                    f"放假安排公布，期限重算：法定 {statutory_due:%Y-%m-%d}，承诺 {promised_due:%Y-%m-%d}",
                )
                records.audit(
                    case,
                    "case.recompute",
                    None,
                    {"statutory": statutory_due.isoformat(), "promised": promised_due.isoformat()},
                )
            Case.objects.filter(pk=case.pk).update(
                statutory_due=statutory_due, promised_due=promised_due, due_provisional=provisional
            )
    return moved
