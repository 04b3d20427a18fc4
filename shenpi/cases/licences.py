"""Licences over their life (issue 5): the public register of grants (PUB-07, Art. 40),
revocation (撤销, Art. 69) and cancellation (注销, Art. 70) by the issuing department,
and the bar that follows a licence obtained by fraud (SAN-02, Art. 79)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.common.fields import held
from shenpi.core.errors import Conflict, InvalidInput, NotFound

from . import access, documents, records
from .constants import RENEWAL_PENDING, LicenceStatus
from .models import Bar, Case, Licence


def public_register() -> QuerySet[Licence]:
    """Grants are public (Art. 40) unless the item keeps them confidential (Art. 5)."""
    return (
        Licence.objects.filter(case__version__grants_public=True)
        .select_related("department", "item__current")
        .order_by("-issued_at")
    )


def masked_holder(licence: Licence) -> str:
    """Personal data masked: a person's name keeps its first character; an enterprise's stays."""
    if licence.holder.account_type == "person":
        return licence.holder_name[:1] + "*" * max(1, len(licence.holder_name) - 1)
    return licence.holder_name


def is_issuer_head(actor, licence) -> bool:
    """Revocation and cancellation (Art. 69, 70) are the issuing department's head's."""
    return not (
        access.is_client(actor)
        or not actor.has_role(Role.HEAD)
        or actor.department is None
        or actor.department.pk != licence.department_id
    )


def _ensure_issuer_head(actor, licence) -> None:
    if not is_issuer_head(actor, licence):
        raise NotFound("未找到该证照，或您不是发证部门负责人。")
    if Case.objects.filter(pk=licence.case_id, source_client__isnull=False).exists():
        # Issue 25: a licence a lower-level platform issued changes only by its pushes.
        raise Conflict(
            "该证照由下级平台颁发，请在其审批系统中撤销或注销。", code="handled_by_source"
        )


@transaction.atomic
def licence_revoke(*, actor, licence: Licence, reasons: str, fraud: bool = False) -> Licence:
    """Art. 69: revoke, with reasons. A licence obtained by deception or bribery for a
    safety item bars the holder for three years (SAN-02, Art. 79)."""
    licence = Licence.objects.select_for_update().select_related("case__version").get(pk=licence.pk)
    _ensure_issuer_head(actor, licence)
    if licence.status != LicenceStatus.VALID:
        raise Conflict("只有有效的证照可以撤销。", code="not_valid")
    if not (reasons or "").strip():
        raise InvalidInput("撤销须说明理由（第六十九条）。", errors={"reasons": ["必填。"]})
    licence.status = LicenceStatus.REVOKED
    licence.save(update_fields=["status"])
    if fraud and licence.case.version.safety_item:
        Bar.objects.create(
            applicant_code=held(licence, "holder_code"),
            item=licence.item,
            case=licence.case,
            article="第七十九条",
            until=timezone.localdate() + timedelta(days=3 * 365 + 1),
        )
    records.event(licence.case, "licence_revoked", f"证照已撤销：{reasons.strip()}", actor=actor)
    records.audit(
        licence.case, "licence.revoke", actor, {"licence": licence.number, "fraud": fraud}
    )
    records.tell_applicant(licence.case, "证照已撤销", reasons.strip())
    return licence


@transaction.atomic
def licence_cancel(*, actor, licence: Licence, reasons: str) -> Licence:
    """Art. 70: cancellation formalities (expiry without renewal, death, dissolution …)."""
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    _ensure_issuer_head(actor, licence)
    if licence.status == LicenceStatus.CANCELLED:
        raise Conflict("该证照已注销。", code="already_cancelled")
    if not (reasons or "").strip():
        raise InvalidInput("注销须说明理由（第七十条）。", errors={"reasons": ["必填。"]})
    licence.status = LicenceStatus.CANCELLED
    licence.save(update_fields=["status"])
    records.event(licence.case, "licence_cancelled", f"证照已注销：{reasons.strip()}", actor=actor)
    records.audit(licence.case, "licence.cancel", actor, {"licence": licence.number})
    return licence


def _renewal_pending():
    return Case.objects.filter(licence=OuterRef("pk"), kind="renewal", status__in=RENEWAL_PENDING)


def licences_expire(today=None) -> int:
    """Valid licences past their end date become expired (the daily job), except those
    with a renewal pending: RNW-02 (Art. 50 ¶2) deems them renewed instead, whichever of
    the two jobs runs first."""
    today = today or timezone.localdate()
    return (
        Licence.objects.filter(status=LicenceStatus.VALID, valid_until__lt=today)
        .exclude(Exists(_renewal_pending()))
        .update(status=LicenceStatus.EXPIRED)
    )


def licence_status_on(licence: Licence, today=None) -> str:
    """The status a verifier is told today, whether or not the daily jobs have run: a
    valid licence past its end date has expired, unless a renewal is pending (then the
    law deems it renewed, RNW-02)."""
    today = today or timezone.localdate()
    if (
        licence.status == LicenceStatus.VALID
        and licence.valid_until is not None
        and licence.valid_until < today
        and not Case.objects.filter(
            licence=licence, kind="renewal", status__in=RENEWAL_PENDING
        ).exists()
    ):
        return LicenceStatus.EXPIRED
    return licence.status


VERIFY_LIMIT = 30  # public verifications per client address per 10 minutes


def licence_verify_allowed(address: str | None) -> None:
    """Public verification is by the QR code or a number in hand, not a crawl of the
    sequential numbers: a client address may look up VERIFY_LIMIT licences in 10 minutes."""
    from shenpi.accounts.ratelimit import allowed
    from shenpi.core.errors import TooMany

    if not allowed(f"licence-verify:{address or 'unknown'}", limit=VERIFY_LIMIT, window=600):
        raise TooMany("核验过于频繁，请 10 分钟后再试。")


def licence_public_view(licence: Licence) -> dict:
    """What anyone verifying a licence is told (PUB-07, Art. 40; PUB-01, Art. 5): its
    number, status and validity; and, when the item's grants are public, its name, issuing
    organ and holder — a natural person's name masked (张*), an enterprise's shown."""
    view = {
        "number": licence.number,
        "status": licence_status_on(licence),
        "valid_from": licence.valid_from,
        "valid_until": licence.valid_until,
        "deemed_renewed": licence.deemed_renewed_at is not None,
        "public": bool(licence.case.version.grants_public),
        "name": "",
        "department": "",
        "holder": "",
        # The file's signature by its organ (common/pdfsigning): proves the copy in hand.
        "signature": documents.file_signature(licence.file),
    }
    if view["public"]:
        view.update(
            name=licence.name, department=licence.department.name, holder=masked_holder(licence)
        )
    return view
