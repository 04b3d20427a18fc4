"""Chinese search that finds what people type (issue 22).

A searchable text is kept as its *terms*: the words jieba cuts it into (the search cut,
which adds a long word's shorter words: 营业执照 → 营业, 执照, 营业执照), each Chinese
word's full pinyin (食品 → shipin), and for a title the pinyin and the initials of the whole
(食品经营许可 → shipinjingyingxuke, spjyxk). Terms are stored as one space-separated
string with a space at each end, so that a term is found portably as " term " (SQLite)
and on PostgreSQL by a `simple` full-text vector generated from the same columns
(schema.py), with a GIN index.

A query is cut the same way (the precise cut); each of its words must match, as itself or
as one of its synonyms (an administrator's table); a Latin word matches as a prefix (pinyin
or initials typed in part: `shipin`, `spjy`). Question words and particles (怎么, 如何, 吗)
are left out of both sides: people type them, texts rarely hold them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import rjieba
from django.db import connections
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pypinyin import Style, lazy_pinyin

from shenpi.core.errors import InvalidInput

from .models import synonym_map

_TERM = re.compile(r"^[0-9a-z\u3400-\u9fff]+$")
_CJK = re.compile(r"[\u3400-\u9fff]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_QUERY_CHARS = re.compile(r"[^0-9A-Za-z\u3400-\u9fff]+")
MAX_QUERY = 50  # characters a search box takes (every search box, page and API)
MAX_WORDS = 8  # words of a query that count (a pasted paragraph is not a query)
WHOLE_MAX = 60  # characters of a title's whole pinyin kept

_STOP = """的 地 得 了 着 过 吗 呢 吧 啊 呀 么 和 与 及 或 是 在 我 我们 你 您 他 她 它 请问 请
怎么 怎样 怎么样 如何 什么 哪些 哪里 哪个 能否 能不能 可不可以 是否 想 想要 一下 这个 那个 这 那"""
STOP_WORDS = frozenset(_STOP.split())


def _useful(word: str) -> bool:
    return bool(_TERM.match(word)) and word not in STOP_WORDS


def words(text: str) -> list[str]:
    """The search cut's words of `text`, lower-case, without stop words and punctuation."""
    return [w for w in (t.strip().lower() for t in rjieba.cut_for_search(text or "")) if _useful(w)]


@lru_cache(maxsize=65_536)
def pinyin(text: str) -> str:
    return "".join(lazy_pinyin(text, errors="ignore")).lower()


@lru_cache(maxsize=65_536)
def initials(text: str) -> str:
    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")).lower()


def index_terms(*texts: str, whole: str = "") -> str:
    """The terms of `texts` (and of the title `whole`, with its whole pinyin and initials),
    each once, as " term term … "."""
    seen: dict[str, None] = {}
    for text in (whole, *texts):
        for word in words(text):
            seen[word] = None
            if _CJK.search(word):
                spelled = pinyin(word)
                if spelled:
                    seen[spelled] = None
    if whole:
        han = "".join(_CJK_RUN.findall(whole))
        for spelled in (pinyin(han)[:WHOLE_MAX], initials(han)[:WHOLE_MAX]):
            if spelled:
                seen[spelled] = None
    return f" {' '.join(seen)} " if seen else ""


@dataclass(frozen=True)
class Term:
    """One word of a query: matched when any alternative's words are all there (a synonym
    may be cut into two words); a Latin word as a prefix."""

    word: str
    alternatives: tuple[tuple[str, ...], ...]
    prefix: bool


def _cut(text: str) -> tuple[str, ...]:
    return tuple(w for w in (t.strip().lower() for t in rjieba.cut(text)) if _useful(w))


def _pieces(chunk: str, synonyms: dict):
    """The chunk's words: a phrase the synonym table knows (开公司) kept whole, the rest
    cut by jieba."""
    keys = sorted((k for k in synonyms if len(k) > 1 and k in chunk), key=len, reverse=True)
    if not keys:
        yield from ((w, False) for w in rjieba.cut(chunk))
        return
    for part in re.split("(" + "|".join(re.escape(k) for k in keys) + ")", chunk):
        if part in synonyms:
            yield part, True
        elif part:
            yield from ((w, False) for w in rjieba.cut(part))


def parse(q: str) -> list[Term]:
    """The terms of a query, with their synonyms (at most MAX_WORDS)."""
    synonyms = synonym_map()
    found: list[Term] = []
    seen: set[str] = set()
    for chunk in _QUERY_CHARS.sub(" ", q or "").lower().split():
        for piece, known in _pieces(chunk, synonyms):
            word = piece.strip()
            if word in seen or not (_useful(word) or known):
                continue
            seen.add(word)
            own = _cut(word) if known else (word,)
            alternatives = [own] if own else []
            for other in synonyms.get(word, ()):
                cut = _cut(other)
                if cut and cut not in alternatives:
                    alternatives.append(cut)
            if not alternatives:
                continue
            latin = not _CJK.search(word)
            found.append(Term(word, tuple(alternatives), prefix=latin or len(word) == 1))
            if len(found) == MAX_WORDS:
                break
    # A single Chinese character beside longer words is mostly grammar (开, 要, 办 in
    # 开小吃店要办什么证): required, it would exclude what the longer words find.
    if any(len(term.word) > 1 for term in found):
        found = [term for term in found if len(term.word) > 1 or not _CJK.search(term.word)]
    return found


def checked_query(q: str | None) -> str:
    """A search box's query, stripped; over MAX_QUERY characters is refused in Chinese
    (every search, on the pages and in the API, by this one check)."""
    q = (q or "").strip()
    if len(q) > MAX_QUERY:
        raise InvalidInput(
            f"搜索词过长，请不超过 {MAX_QUERY} 个字。",
            code="query_too_long",
            errors={"q": [f"不超过 {MAX_QUERY} 个字。"]},
        )
    return q


def query_terms(q: str | None) -> list[Term]:
    """A search box's query, checked and parsed."""
    return parse(checked_query(q))


# --- matching -----------------------------------------------------------------------


def _has(field: str, token: str, prefix: bool) -> Q:
    return Q(**{f"{field}__contains": f" {token}" if prefix else f" {token} "})


def terms_q(terms: list[Term], *fields: str, any_term: bool = False) -> Q:
    """Portable: each term (or, with `any_term`, one of them) found in one of `fields`."""
    condition = Q()
    for term in terms:
        matched = Q()
        for alternative in term.alternatives:
            every = Q()
            for token in alternative:
                one = Q()
                for field in fields:
                    one |= _has(field, token, term.prefix)
                every &= one
            matched |= every
        condition = (condition | matched) if any_term else (condition & matched)
    return condition


def tsquery(terms: list[Term], *, any_term: bool = False) -> str:
    """The same condition as `terms_q`, for PostgreSQL's to_tsquery('simple', …). Terms
    hold only letters, digits and Chinese characters (`_TERM`), nothing tsquery reads as
    an operator."""
    parts = [
        "("
        + " | ".join(
            "(" + " & ".join(t + (":*" if term.prefix else "") for t in alternative) + ")"
            for alternative in term.alternatives
        )
        + ")"
        for term in terms
    ]
    return (" | " if any_term else " & ").join(parts)


def matching(
    queryset,
    terms: list[Term],
    *,
    title_only: bool = False,
    not_title: bool = False,
    any_term: bool = False,
):
    """`queryset` narrowed to the rows whose terms match (every word, or with `any_term`
    one of them): with `title_only`, in the title; with `not_title`, not all in the title.
    On PostgreSQL by the model's generated vectors through their GIN indexes (schema.py),
    elsewhere by the term columns. The model has `title_terms` and `body_terms`."""
    if not terms:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        table = f'"{queryset.model._meta.db_table}"'
        text = tsquery(terms, any_term=any_term)
        vector = "title_vector" if title_only else "search_vector"
        found = queryset.filter(
            RawSQL(
                f"{table}.{vector} @@ to_tsquery('simple', %s)", [text], output_field=BooleanField()
            )
        )
        if not_title:
            found = found.filter(
                RawSQL(
                    f"NOT {table}.title_vector @@ to_tsquery('simple', %s)",
                    [tsquery(terms)],
                    output_field=BooleanField(),
                )
            )
        return found
    fields = ("title_terms",) if title_only else ("title_terms", "body_terms")
    found = queryset.filter(terms_q(terms, *fields, any_term=any_term))
    return found.exclude(terms_q(terms, "title_terms")) if not_title else found


WINDOW = 2000  # the newest rows a page is first looked for among (PostgreSQL)


def _window_ids(queryset, terms, *, order, offset, count, title_only, not_title):
    """PostgreSQL: the ids of rows `offset`…`offset + count` of what matches, when the
    newest WINDOW rows of `queryset` hold them all (None otherwise). The window is read
    first, in the order's index, and only then matched: the planner cannot know that the
    words of a question come together (委托, 他人, 办理 in the same thousands of titles),
    and, estimating a few matches, would fetch and sort all of them through the GIN index.
    `order` names the model's own fields."""
    table = queryset.model._meta.db_table
    # Only the vectors matched are read (a row's whole vector is large: it is stored apart).
    vectors = {"tv": f'"{table}"."title_vector"'}
    if not title_only:
        vectors["sv"] = f'"{table}"."search_vector"'
    window = queryset.extra(select=vectors).order_by(*order)  # noqa: S610 - our own columns
    fields = [name.lstrip("-") for name in order]
    inner, params = window.values_list("pk", *fields, *vectors)[:WINDOW].query.sql_with_params()
    text = tsquery(terms)
    condition = ("w.tv" if title_only else "w.sv") + " @@ to_tsquery('simple', %s)"
    arguments = [text]
    if not_title:
        condition += " AND NOT w.tv @@ to_tsquery('simple', %s)"
        arguments.append(text)
    sort = ", ".join(
        f'w."{name.lstrip("-")}" {"DESC" if name.startswith("-") else "ASC"}' for name in order
    )
    pk = queryset.model._meta.pk.column
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            f'SELECT w."{pk}" FROM ({inner}) w WHERE {condition} ORDER BY {sort} '
            f"LIMIT {int(count)} OFFSET {int(offset)}",
            [*params, *arguments],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) == count else None


def _slice(queryset, terms, *, order, offset, count, **kw) -> list:
    """Rows `offset`…`offset + count` of what matches, in `order`."""
    if connections[queryset.db].vendor == "postgresql":
        ids = _window_ids(queryset, terms, order=order, offset=offset, count=count, **kw)
        if ids is not None:
            found = {row.pk: row for row in queryset.filter(pk__in=ids)}
            return [found[pk] for pk in ids if pk in found]
    return list(matching(queryset, terms, **kw).order_by(*order)[offset : offset + count])


def title_first(queryset, terms: list[Term], *, order: tuple, offset: int, limit: int):
    """A page of what matches `terms`, best first: the rows whose title holds every word,
    then those that hold them elsewhere, each newest first (`order`). Returns (rows, whether
    more follow). No ranking of every match (a common word matches tens of thousands of
    answers, and ranking them all read each one's vector): each part is read newest first
    among the newest rows (`_window_ids`), or when they hold too few, through the GIN
    index, which then finds few."""
    if not terms:
        return [], False
    title = {"title_only": True, "not_title": False}
    rows = _slice(queryset, terms, order=order, offset=offset, count=limit + 1, **title)
    if len(rows) > limit:
        return rows[:limit], True
    # Fewer title matches than the page reaches: all of them are known (`offset` skipped
    # some, counted only when this page starts past them); the rest of the page is read
    # from the others.
    skipped = (
        offset
        if rows or not offset
        else matching(queryset, terms, title_only=True).order_by().count()
    )
    start = max(0, offset - skipped) if not rows else 0
    rows += _slice(
        queryset,
        terms,
        order=order,
        offset=start,
        count=limit - len(rows) + 1,
        title_only=False,
        not_title=True,
    )
    return rows[:limit], len(rows) > limit


# --- showing ------------------------------------------------------------------------


def marked_words(text: str, terms: list[Term]) -> set[str]:
    """The words of `text` a reader should see marked for `terms`: Chinese words of the
    query and their synonyms as written, and the words whose pinyin or initials a Latin
    term begins."""
    marks: set[str] = set()
    latin = [term.word for term in terms if not _CJK.search(term.word)]
    for term in terms:
        for alternative in term.alternatives:
            marks.update(t for t in alternative if _CJK.search(t))
    if latin:
        for word in rjieba.cut(text):
            lowered = word.lower()
            if _CJK.search(word):
                spelled, first = pinyin(word), initials(word)
                if any(spelled.startswith(t) or first.startswith(t) for t in latin):
                    marks.add(word)
            elif any(lowered.startswith(t) for t in latin):
                marks.add(word)
    return {m for m in marks if m.strip()}


def highlight(text: str, terms: list[Term], *, around: int | None = None) -> SafeString:
    """`text` escaped, the matching words in <mark>; with `around`, a window of about that
    many characters from a little before the first match."""
    text = text or ""
    marks = marked_words(text, terms)
    if not marks:
        shown = text if around is None else text[:around]
        return escape(shown + ("…" if around is not None and len(text) > around else ""))
    pattern = re.compile("|".join(re.escape(m) for m in sorted(marks, key=len, reverse=True)), re.I)
    head = tail = ""
    if around is not None:
        first = pattern.search(text)
        start = max(0, (first.start() if first else 0) - around // 4)
        head = "…" if start else ""
        tail = "…" if start + around < len(text) else ""
        text = text[start : start + around]
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe(escape(head) + "".join(pieces) + escape(tail))  # noqa: S308 - each piece escaped
