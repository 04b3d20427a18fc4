from django.db import transaction
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.audit.services import audit_record
from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from shenpi.search.terms import index_terms

from .models import Publication, PublicationKind, PublicationStatus

EDITABLE = (PublicationStatus.DRAFT, PublicationStatus.RETURNED)


def _stream(p: Publication) -> str:
    return f"publication:{p.pk}"


def _own_department(actor, publication: Publication) -> None:
    if actor.department is None or actor.department.pk != publication.department_id:
        raise NotFound("未找到该信息。")


def publication_index(p: Publication) -> None:
    """Its search terms (shenpi.search.terms): the title with its document number, the body."""
    p.title_terms = index_terms(p.document_number, whole=p.title)
    p.body_terms = index_terms(p.body)


def _validate(title: str, body: str, kind: str) -> None:
    errors = {}
    if not (title or "").strip():
        errors["title"] = ["请填写标题。"]
    if not (body or "").strip():
        errors["body"] = ["请填写正文。"]
    if kind not in PublicationKind.values:
        errors["kind"] = ["栏目无效。"]
    if errors:
        raise InvalidInput("信息内容不完整。", errors=errors)


@transaction.atomic
def publication_draft(
    *, actor, kind: str, title: str, body: str, document_number: str = ""
) -> Publication:
    if not actor.has_role(Role.OFFICIAL, Role.HEAD, Role.LEGAL) or actor.department is None:
        raise NotAllowed("只有部门工作人员可以起草发布信息。")
    _validate(title, body, kind)
    p = Publication(
        department=actor.department,
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        document_number=document_number.strip(),
        author=actor,
    )
    publication_index(p)
    p.save()
    audit_record(
        stream=_stream(p),
        action="publication.draft",
        actor=actor,
        object_type="publication",
        object_id=str(p.pk),
    )
    return p


@transaction.atomic
def publication_update(
    *, actor, publication: Publication, kind: str, title: str, body: str, document_number: str = ""
) -> Publication:
    p = Publication.objects.select_for_update().get(pk=publication.pk)
    _own_department(actor, p)
    if p.status not in EDITABLE:
        raise Conflict("已提交或已发布的信息不能修改。", code="not_editable")
    _validate(title, body, kind)
    p.kind, p.title, p.body, p.document_number = (
        kind,
        title.strip(),
        body.strip(),
        document_number.strip(),
    )
    publication_index(p)
    p.save(update_fields=["kind", "title", "body", "document_number", "title_terms", "body_terms"])
    audit_record(
        stream=_stream(p),
        action="publication.update",
        actor=actor,
        object_type="publication",
        object_id=str(p.pk),
    )
    return p


@transaction.atomic
def publication_submit(*, actor, publication: Publication) -> Publication:
    p = Publication.objects.select_for_update().get(pk=publication.pk)
    _own_department(actor, p)
    if p.status not in EDITABLE:
        raise Conflict("该信息已提交审核或已发布。", code="not_editable")
    p.status = PublicationStatus.IN_REVIEW
    p.save(update_fields=["status"])
    audit_record(
        stream=_stream(p),
        action="publication.submit",
        actor=actor,
        object_type="publication",
        object_id=str(p.pk),
    )
    return p


@transaction.atomic
def publication_review(
    *, actor, publication: Publication, approve: bool, comment: str = ""
) -> Publication:
    """The department's head approves before anything is public."""
    p = Publication.objects.select_for_update().get(pk=publication.pk)
    _own_department(actor, p)
    if not actor.has_role(Role.HEAD):
        raise NotAllowed("只有部门负责人可以审核发布。", code="not_head")
    if p.status != PublicationStatus.IN_REVIEW:
        raise Conflict("该信息不在待审核状态。", code="not_in_review")
    if p.author_id == actor.pk:
        raise NotAllowed("不能审核自己起草的信息。", code="own_draft")
    if not approve and not (comment or "").strip():
        raise InvalidInput("退回须写明意见。", errors={"comment": ["请填写退回意见。"]})
    p.reviewer = actor
    p.review_comment = (comment or "").strip()
    p.status = PublicationStatus.PUBLISHED if approve else PublicationStatus.RETURNED
    p.published_at = timezone.now() if approve else None
    p.save(update_fields=["reviewer", "review_comment", "status", "published_at"])
    audit_record(
        stream=_stream(p),
        action="publication.publish" if approve else "publication.return",
        actor=actor,
        object_type="publication",
        object_id=str(p.pk),
    )
    return p


@transaction.atomic
def publication_withdraw(*, actor, publication: Publication, reason: str) -> Publication:
    p = Publication.objects.select_for_update().get(pk=publication.pk)
    _own_department(actor, p)
    if not actor.has_role(Role.HEAD):
        raise NotAllowed("只有部门负责人可以撤回已发布的信息。", code="not_head")
    if p.status != PublicationStatus.PUBLISHED:
        raise Conflict("只有已发布的信息可以撤回。", code="not_published")
    if not (reason or "").strip():
        raise InvalidInput("撤回须写明理由。", errors={"reason": ["请填写撤回理由。"]})
    p.status = PublicationStatus.WITHDRAWN
    p.withdrawn_at = timezone.now()
    p.withdraw_reason = reason.strip()
    p.save(update_fields=["status", "withdrawn_at", "withdraw_reason"])
    audit_record(
        stream=_stream(p),
        action="publication.withdraw",
        actor=actor,
        object_type="publication",
        object_id=str(p.pk),
        detail={"reason": p.withdraw_reason},
    )
    return p
