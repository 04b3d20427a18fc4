"""Written notices (受理、不予受理、补正、容缺、准予、不予许可、中止、延期): each one numbered
from the department's counter, drawn as a PDF with its verification QR code, and kept
with its hash, in the caller's transaction (LAW.md RCV-06, DEC-01)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from shenpi.common import pdfsigning

from . import documents, numbering
from .constants import NoticeKind
from .models import Notice
from .records import local_date

# DEC-02 (Art. 38 ¶2): a refusal tells the applicant their remedies.
REMEDIES = (
    "如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，"
    "或者在六个月内依法向人民法院提起行政诉讼。"
)


def issue_notice(case, kind, body, *, addressee=None, department=None) -> Notice:
    department = department or case.department
    held = getattr(case, "hearing", None) if kind in ("grant", "refusal") else None
    if held is not None and held.held_on:
        # HRG-03 (Art. 48(5)): the decision is made on the basis of the hearing record.
        body += f"\n本决定根据 {held.held_on:%Y年%m月%d日} 听证笔录作出（第四十八条）。"
    now = timezone.now()
    prefix = {
        "acceptance": "受",
        "non_acceptance": "不受",
        "correction": "补",
        "lenient": "容",
        "grant": "准",
        "refusal": "不准",
        "suspension": "停",
        "extension": "延",
    }[kind]
    year = local_date(now).year
    sequence = numbering.notice_sequence(department, year)
    notice = Notice(
        case=case,
        kind=kind,
        department=department,
        issued_at=now,
        number=f"{department.short_name or department.name}{prefix}字〔{year}〕第{sequence:05d}号",
    )
    url = settings.SHENPI_PUBLIC_URL.rstrip("/") + reverse("cases:verify_notice", args=[notice.pk])
    pdf = documents.render_document(
        title=NoticeKind(kind).label,
        number=notice.number,
        organ=department.name,
        issued=local_date(now),
        addressee=addressee or case.applicant_name,
        body=body,
        verify_url=url,
    )
    # Signed by the issuing organ's key (common/pdfsigning.py): the file proves itself.
    pdf = pdfsigning.sign(
        pdf, organ_code=department.code, organ_name=department.name, reason=notice.number
    )
    notice.sha256 = hashlib.sha256(pdf).hexdigest()
    notice.file.save(f"{case.number}-{kind}-{sequence}.pdf", ContentFile(pdf), save=False)
    notice.save(force_insert=True)
    return notice
