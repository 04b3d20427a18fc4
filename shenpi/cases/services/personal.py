"""Reading an applicant's personal numbers in clear, for those whose work needs them,
on record (PIPL Art. 51; LAW.md PUB-01)."""

from __future__ import annotations

from django.db import transaction

from shenpi.accounts.client_operations import ensure_client_may
from shenpi.core.errors import NotAllowed

from .. import access, records
from ..models import (
    Case,
)


@transaction.atomic
def case_personal_read(*, actor, case: Case) -> dict:
    """The applicant's numbers in clear, for a reader whose work needs them; every such
    read is audited (PIPL Art. 51). Pages and lists show them masked."""
    ensure_client_may(actor, "case.personal")
    if not access.may_read_personal(actor, case):
        raise NotAllowed(
            "您的职责无需查看申请人的完整证件号码和联系电话。", code="personal_not_needed"
        )
    records.audit(case, "case.personal_read", actor)
    return {
        "applicant_name": case.applicant_name,
        "applicant_code": case.applicant_code,
        "applicant_mobile": case.applicant_mobile,
    }
