"""Reads on questions: a department's consultation inbox, an asker's questions, a thread,
and the anonymous asker's look-up by number and password."""

from __future__ import annotations

from django.db.models import QuerySet

from shenpi.accounts.ratelimit import allowed
from shenpi.core.errors import NotFound, TooMany
from shenpi.search.terms import Term, parse, ranked

from .access import is_staff_of, may_watch
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
    """A question its asker, an official of its department or a supervisor watching its
    division may read; anyone else is told it does not exist (404), as for cases."""
    question = Question.objects.filter(pk=pk).select_related("department", "item").first()
    if question is None or actor is None or not getattr(actor, "is_authenticated", False):
        raise NotFound("未找到该咨询。")
    if (
        question.asker_id == actor.pk
        or is_staff_of(actor, question.department)
        or may_watch(actor, question.department)
    ):
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


def faq_search(terms: list[Term], *, item=None, any_term: bool = False) -> QuerySet[Faq]:
    """Published FAQ matching the parsed query (shenpi.search.terms), best first: every
    word, or with `any_term` any of them (more shared words rank higher)."""
    faqs = published_faqs(item=item)
    return ranked(faqs, terms, any_term=any_term).order_by("-rank", "-published_at")


def similar_faqs(text: str, *, item=None, limit: int = 5) -> list[Faq]:
    """Published FAQ that share words with what is being typed, most shared first, the
    item's own FAQ first among equals."""
    terms = parse((text or "")[:80])
    if not terms:
        return []
    found = list(faq_search(terms, any_term=True)[:50])
    found.sort(key=lambda f: (-f.rank, -(item is not None and f.item_id == item.pk)))
    return found[:limit]
