"""电子证照共享 (issue 25): another department reads a holder's licences instead of asking
them for copies — with the holder's consent to that department, or by a lawful need the
department states (the law and article it acts under). Every read is audited on the
holder's own stream, so the holder sees who read their licences and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from shenpi.accounts.client_operations import ensure_client_may, is_client
from shenpi.accounts.constants import AccountType, Role
from shenpi.accounts.services import applicant_named
from shenpi.audit.services import audit_record
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound

from ..constants import LicenceStatus
from ..models import Licence, LicenceConsent

BASIS_MIN = 6  # characters: a law's name and its article, not "工作需要"
CONSENT_DAYS_MAX = 366 * 3


@dataclass(frozen=True)
class Shared:
    holder_name: str
    licences: list[Licence]
    consent: LicenceConsent | None
    basis: str


def _reading_department(actor):
    """The department a read is for: a department-bound system client's, or the official's."""
    ensure_client_may(actor, "licence.share_read")
    if is_client(actor):
        department = actor.client.department
    else:
        allowed = actor.has_role(Role.OFFICIAL, Role.HEAD)
        department = actor.department if allowed else None
    if department is None:
        raise NotAllowed("只有部门的工作人员或部门系统可以调用电子证照。", code="departments_only")
    return department


def live_consent(holder, department, today: date | None = None):
    today = today or timezone.localdate()
    return (
        LicenceConsent.objects.filter(
            holder=holder, department=department, revoked_at__isnull=True, until__gte=today
        )
        .order_by("-until")
        .first()
    )


@transaction.atomic
def licences_shared(*, actor, holder_code: str, holder_name: str, basis: str = "") -> Shared:
    """The holder's valid licences for the actor's department, by consent or stated basis.
    A holder unknown, named wrongly, or neither consenting nor a basis given: one answer
    (404 or 403 alike reveal nothing of whom the platform knows)."""
    department = _reading_department(actor)
    basis = (basis or "").strip()
    try:
        holder = applicant_named(code=holder_code, name=holder_name)
    except InvalidInput as exc:
        if exc.code == "applicant_mismatch":
            raise NotFound("未找到该持证人的电子证照。") from None
        raise
    if holder.pk is None:
        raise NotFound("未找到该持证人的电子证照。")
    consent = live_consent(holder, department)
    if consent is None and len(basis) < BASIS_MIN:
        raise NotAllowed(
            "持证人未授权本部门调用其证照；依法调用须写明依据（法律法规名称及条款）。",
            code="no_consent_or_basis",
            errors={"basis": ["请写明依法调用的依据。"]},
        )
    licences = list(
        Licence.objects.filter(holder=holder, status=LicenceStatus.VALID)
        .select_related("item", "department")
        .order_by("-issued_at")
    )
    audit_record(
        stream=f"user:{holder.public_id}",
        action="licence.shared_read",
        actor=actor,
        object_type="user",
        object_id=str(holder.public_id),
        detail={
            "department": department.code,
            "department_name": department.name,
            "consent": str(consent.pk) if consent else None,
            "basis": basis[:200] if consent is None else "",
            "licences": [licence.number for licence in licences],
        },
    )
    return Shared(holder.display_name, licences, consent, basis if consent is None else "")


@transaction.atomic
def consent_grant(*, actor, department, purpose: str, until: date) -> LicenceConsent:
    """The holder lets `department` read their licences until `until`."""
    ensure_client_may(actor, "licence.consent")
    if actor.account_type not in (AccountType.PERSON, AccountType.ENTERPRISE):
        raise NotAllowed("只有持证人本人可以授权。", code="holders_only")
    purpose = (purpose or "").strip()
    if not purpose:
        raise InvalidInput("请写明用途。", errors={"purpose": ["必填。"]})
    today = timezone.localdate()
    if until < today or (until - today).days > CONSENT_DAYS_MAX:
        raise InvalidInput("授权期限须在今天到三年之内。", errors={"until": ["期限无效。"]})
    if live_consent(actor, department, today) is not None:
        raise Conflict("已授权该部门，如需更改请先撤回。", code="consent_exists")
    consent = LicenceConsent.objects.create(
        holder=actor, department=department, purpose=purpose[:200], until=until
    )
    audit_record(
        stream=f"user:{actor.public_id}",
        action="licence.consent",
        actor=actor,
        object_type="licence_consent",
        object_id=str(consent.pk),
        detail={
            "department": department.code,
            "until": until.isoformat(),
            "purpose": purpose[:200],
        },
    )
    return consent


@transaction.atomic
def consent_revoke(*, actor, consent: LicenceConsent) -> LicenceConsent:
    ensure_client_may(actor, "licence.consent")
    consent = LicenceConsent.objects.select_for_update().filter(pk=consent.pk, holder=actor).first()
    if consent is None:
        raise NotFound("未找到该授权。")
    if consent.revoked_at:
        raise Conflict("该授权已撤回。", code="already_revoked")
    consent.revoked_at = timezone.now()
    consent.save(update_fields=["revoked_at"])
    audit_record(
        stream=f"user:{actor.public_id}",
        action="licence.consent_revoke",
        actor=actor,
        object_type="licence_consent",
        object_id=str(consent.pk),
        detail={"department": consent.department.code},
    )
    return consent


def shared_reads(holder, limit: int = 20):
    """Who read the holder's licences, newest first (from the holder's audit stream)."""
    from shenpi.audit.models import AuditRecord

    return AuditRecord.objects.filter(
        stream=f"user:{holder.public_id}", action="licence.shared_read"
    ).order_by("-seq")[:limit]
