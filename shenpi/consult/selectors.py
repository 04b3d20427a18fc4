"""Reads on questions: a department's consultation inbox, an asker's questions, a thread,
and the anonymous asker's look-up by number and password."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from shenpi.accounts.ratelimit import allowed
from shenpi.core.errors import NotFound, TooMany

from .access import is_staff_of
from .constants import OPEN_STATUSES, FaqStatus
from .models import Faq, Question

LOOKUP_LIMIT = 10  # look-ups per client address per 10 minutes, shared with case tracking


def inbox(department) -> QuerySet[Question]:
    """The department's open questions, the one due first at the top (question_open_inbox)."""
    return (
        Question.objects.filter(department=department, status__in=OPEN_STATUSES)
        .select_related("item", "claimed_by")
        .order_by("due_date", "asked_at")
    )


def asked_by(user) -> QuerySet[Question]:
    return Question.objects.filter(asker=user).select_related("department").order_by("-asked_at")


def thread(question: Question) -> list:
    return list(question.entries.select_related("department"))


def question_looked_up(address: str | None, number: str, password: str) -> Question:
    """An anonymous asker's question by its number and query password: a guessed password
    costs one of the LOOKUP_LIMIT look-ups an address has in ten minutes, the same budget
    as tracking a case (a guess at either spends it)."""
    if not allowed(f"track:{address or 'unknown'}", limit=LOOKUP_LIMIT, window=600):
        raise TooMany("查询过于频繁，请 10 分钟后再试。")
    question = (
        Question.objects.filter(
            number=(number or "").strip().upper(),
            query_password=(password or "").strip().upper(),
            asker__isnull=True,
        )
        .select_related("department")
        .first()
    )
    if question is None:
        raise NotFound("咨询编号或查询密码不正确。")
    return question


def question_for(actor, pk) -> Question:
    """A question its asker or an official of its department may read; anyone else is told
    it does not exist (404), as for cases."""
    question = Question.objects.filter(pk=pk).select_related("department", "item").first()
    if question is None or actor is None or not getattr(actor, "is_authenticated", False):
        raise NotFound("未找到该咨询。")
    if question.asker_id == actor.pk or is_staff_of(actor, question.department):
        return question
    raise NotFound("未找到该咨询。")


def published_faqs(*, item=None, policy=None) -> QuerySet[Faq]:
    """The public FAQ of an item (its guide's 常见问题) or of a policy, newest first."""
    faqs = Faq.objects.filter(status=FaqStatus.PUBLISHED).select_related("item", "department")
    if item is not None:
        faqs = faqs.filter(item=item)
    if policy is not None:
        faqs = faqs.filter(policy=policy)
    return faqs.order_by("-published_at")


def proposed_faqs(department) -> QuerySet[Faq]:
    return Faq.objects.filter(department=department, status=FaqStatus.PROPOSED).select_related(
        "proposed_by", "source"
    )


_CJK = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[A-Za-z0-9]{2,}")


def similar_faqs(text: str, *, item=None, limit: int = 5) -> list[Faq]:
    """Published FAQ that share words with what is being typed, most shared first: the
    Chinese runs cut into two-character pieces (a portable stand-in for word search),
    Latin words and numbers as they are; the item's own FAQ first."""
    text = (text or "")[:80]
    pieces = {run[i : i + 2] for run in _CJK.findall(text) for i in range(max(len(run) - 1, 1))}
    pieces |= {word.lower() for word in _WORD.findall(text)}
    pieces = sorted(pieces)[:20]
    if not pieces:
        return []
    condition = Q()
    for piece in pieces:
        condition |= Q(title__icontains=piece)
    found = published_faqs().filter(condition)[:200]
    scored = sorted(
        found,
        key=lambda f: (
            -(item is not None and f.item_id == item.pk),
            -sum(piece in f.title.lower() for piece in pieces),
            -f.published_at.timestamp(),
        ),
    )
    return scored[:limit]
