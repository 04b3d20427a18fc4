"""Reads on questions: a department's consultation inbox, an asker's questions, a thread,
and the anonymous asker's look-up by number and password."""

from __future__ import annotations

from django.db.models import QuerySet

from shenpi.accounts.ratelimit import allowed
from shenpi.common.paging import SlicePage, page_number
from shenpi.core.errors import NotFound, TooMany
from shenpi.search.terms import Term, matching, parse, title_first

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
    # The search terms are read by the search in SQL, never shown: not fetched.
    faqs = (
        Faq.objects.filter(status=FaqStatus.PUBLISHED)
        .select_related("item", "department")
        .defer("title_terms", "body_terms")
    )
    if item is not None:
        faqs = faqs.filter(item=item)
    if policy is not None:
        faqs = faqs.filter(policy=policy)
    return faqs.order_by("-published_at")


def proposed_faqs(department) -> QuerySet[Faq]:
    return Faq.objects.filter(department=department, status=FaqStatus.PROPOSED).select_related(
        "proposed_by", "source"
    )


FAQ_ORDER = ("-published_at", "-id")  # newest first, the same order on every page


def faq_search(terms: list[Term], *, item=None, policy=None, page=1, per_page=20) -> SlicePage:
    """A page of the published FAQ matching the parsed query (shenpi.search.terms): those
    whose question holds every word first, then those whose answer completes them, each
    newest first."""
    number = page_number(page)
    rows, more = title_first(
        published_faqs(item=item, policy=policy),
        terms,
        order=FAQ_ORDER,
        offset=(number - 1) * per_page,
        limit=per_page,
    )
    return SlicePage(rows=rows, number=number, has_next=more)


SIMILAR_CANDIDATES = 200


def similar_faqs(text: str, *, item=None, limit: int = 5) -> list[Faq]:
    """Published FAQ that may already answer what is being typed: those sharing every word
    first (as the search finds them); then, among the newest whose question shares any,
    those sharing the most; the item's own first among equals."""
    terms = parse((text or "")[:80])
    if not terms:
        return []
    found = list(faq_search(terms, per_page=limit))
    if len(found) < limit and len(terms) > 1:
        seen = {f.pk for f in found}
        candidates = (
            matching(published_faqs(), terms, title_only=True, any_term=True)
            .defer(None)  # the title's terms are counted below
            .defer("body_terms")
            .exclude(pk__in=seen)
            .order_by(*FAQ_ORDER)[:SIMILAR_CANDIDATES]
        )

        def shared(faq) -> int:
            return sum(
                any(all(f" {t} " in faq.title_terms for t in alt) for alt in term.alternatives)
                or any(term.prefix and f" {alt[0]}" in faq.title_terms for alt in term.alternatives)
                for term in terms
            )

        ranked = sorted(
            candidates,
            key=lambda f: (-shared(f), -(item is not None and f.item_id == item.pk)),
        )
        found += ranked[: limit - len(found)]
    return found
