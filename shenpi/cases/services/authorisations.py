"""The 委托书: signed online by the applicant, or scanned at the window from the paper the
applicant signed; revoked by the applicant. Each is one transaction with its audit record
on the authorisation's own stream, and the other side is told."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from shenpi.accounts.constants import AccountType, Role
from shenpi.audit.services import audit_record
from shenpi.catalog.constants import VersionStatus
from shenpi.common.files import check_upload
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from shenpi.notify.services import notify

from .. import authorisations, numbering, records
from ..constants import MATERIAL_FILE_TYPES, AuthorisationMethod, AuthorisationScope
from ..models import Authorisation

# The longest an authorisation may run: a project's approvals take months, not years.
MAX_YEARS = 3


def authorisation_text(applicant, agent, scope, item_names, project_name, until: date) -> str:
    """The words the applicant signs (shown in full before signing; their hash is kept)."""
    what = (
        f"投资项目“{project_name}”所需的全部审批事项"
        if scope == AuthorisationScope.PROJECT
        else "以下事项：" + "、".join(item_names)
    )
    role = "全程代理员" if agent.has_role(Role.AGENT) else "经办人"
    return (
        f"委托人{applicant.display_name}委托{role}{agent.display_name}，代为办理{what}的申请、"
        f"补正、领取结果等事宜。受托人在委托范围内的行为，委托人承担相应的法律责任。"
        f"委托期限至 {until:%Y年%m月%d日}。委托人可以随时撤销本委托。"
    )


def _checked(applicant, agent, scope, items, project_name, until) -> list:
    errors = {}
    if applicant.account_type not in (AccountType.PERSON, AccountType.ENTERPRISE):
        raise NotAllowed("只有自然人或法人可以委托他人办理。", code="not_an_applicant")
    if not authorisations.may_hold(applicant, agent):
        errors["agent"] = [
            "受托人须为政务服务中心的全程代理员；企业还可以委托本单位的经办人（须为实名注册的个人用户）。"
        ]
    if scope not in AuthorisationScope.values:
        errors["scope"] = ["请选择委托范围。"]
    items = [
        item for item in items if item.current and item.current.status == VersionStatus.PUBLISHED
    ]
    if scope == AuthorisationScope.ITEMS and not items:
        errors["items"] = ["请至少选择一个委托事项。"]
    if scope == AuthorisationScope.PROJECT and not (project_name or "").strip():
        errors["project_name"] = ["请填写委托办理的投资项目名称。"]
    today = records.today()
    if until is None or until < today:
        errors["until"] = ["委托期限不能早于今天。"]
    elif until > today + timedelta(days=366 * MAX_YEARS):
        errors["until"] = [f"委托期限最长 {MAX_YEARS} 年。"]
    if errors:
        raise InvalidInput(
            "委托书还不完整，请按提示修改。", code="invalid_authorisation", errors=errors
        )
    return items


def _create(*, actor, applicant, agent, scope, items, project_name, until, method, scan=None):
    items = _checked(applicant, agent, scope, items, project_name, until)
    project_name = (project_name or "").strip()[:100] if scope == AuthorisationScope.PROJECT else ""
    text = authorisation_text(
        applicant, agent, scope, [item.current.name for item in items], project_name, until
    )
    now = timezone.now()
    authorisation = Authorisation(
        number=numbering.authorisation_number(records.local_date(now).year),
        applicant=applicant,
        agent=agent,
        scope=scope,
        project_name=project_name,
        until=until,
        method=method,
        text=text,
        text_sha256=hashlib.sha256(text.encode()).hexdigest(),
        signed_at=now,
        recorded_by=actor,
    )
    if scan is not None:
        authorisation.scan.save(scan.name, ContentFile(scan.data), save=False)
    authorisation.save(force_insert=True)
    if scope == AuthorisationScope.ITEMS:
        authorisation.items.set(items)
    _audit(authorisation, "authorisation.sign", actor, {
        "method": method, "agent": agent.display_name, "until": until.isoformat(),
        "text_sha256": authorisation.text_sha256,
    })  # fmt: skip
    notify(
        agent,
        title=f"您收到一份委托书（{authorisation.number}）",
        body=f"{applicant.display_name}委托您代为办理，期限至 {until:%Y年%m月%d日}。",
    )
    return authorisation


def _audit(authorisation, action, actor, detail):
    audit_record(
        stream=f"authorisation:{authorisation.pk}",
        action=action,
        actor=actor,
        object_type="authorisation",
        object_id=str(authorisation.pk),
        detail={"number": authorisation.number, **detail},
    )


@transaction.atomic
def authorisation_sign(
    *, actor, agent, scope, items=(), project_name="", until: date | None, confirmed: bool
) -> Authorisation:
    """The applicant signs online, having read the text (`confirmed`)."""
    if not confirmed:
        raise InvalidInput(
            "请阅读委托书全文并勾选确认后签署。", errors={"confirmed": ["须确认委托书内容。"]}
        )
    return _create(
        actor=actor, applicant=actor, agent=agent, scope=scope, items=list(items),
        project_name=project_name, until=until, method=AuthorisationMethod.ONLINE,
    )  # fmt: skip


@transaction.atomic
def authorisation_record_scan(
    *, actor, applicant, agent, scope, items=(), project_name="", until: date | None, upload
) -> Authorisation:
    """A window clerk scans the paper authorisation the applicant signed at the window."""
    if getattr(actor, "is_system_client", False) or not actor.has_role(Role.CLERK):
        raise NotFound("未找到该页面。")
    if upload is None:
        raise InvalidInput("请扫描上传委托人签字的委托书。", errors={"scan": ["须上传扫描件。"]})
    scan = check_upload(
        upload,
        allowed=MATERIAL_FILE_TYPES,
        max_bytes=settings.SHENPI_MAX_FILE_MB * 1024 * 1024,
        label="委托书扫描件",
    )
    return _create(
        actor=actor, applicant=applicant, agent=agent, scope=scope, items=list(items),
        project_name=project_name, until=until, method=AuthorisationMethod.WINDOW, scan=scan,
    )  # fmt: skip


@transaction.atomic
def authorisation_revoke(*, actor, authorisation: Authorisation) -> Authorisation:
    """Only the applicant revokes; from then on the agent can neither act nor see the
    cases applied for under it."""
    authorisation = Authorisation.objects.select_for_update().get(pk=authorisation.pk)
    if actor.pk != authorisation.applicant_id:
        authorisations.ensure_visible(actor, authorisation)
        raise NotAllowed("只有委托人可以撤销委托书。", code="not_the_applicant")
    if authorisation.revoked_at is not None:
        raise Conflict(
            f"委托书已于 {timezone.localtime(authorisation.revoked_at):%Y年%m月%d日} 撤销。",
            code="already_revoked",
        )
    authorisation.revoked_at, authorisation.revoked_by = timezone.now(), actor
    authorisation.save(update_fields=["revoked_at", "revoked_by"])
    _audit(authorisation, "authorisation.revoke", actor, {})
    notify(
        authorisation.agent,
        title=f"委托已撤销（{authorisation.number}）",
        body=f"{authorisation.applicant.display_name}撤销了对您的委托，您不能再代其办理。",
    )
    return authorisation
