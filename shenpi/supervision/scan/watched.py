"""Deadlines that are not a case's — a question's answer, a head's look at an answer rated
不满意 — light their own rows and register here. The deadline scan judges them in the same
transaction as the cases' lights (one scan, one "today"); the live monitor shows their
counts and their lit rows through the same registry, so that supervision imports none of
the apps it watches this way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Watched:
    name: str  # "consultation"
    label: str  # "咨询答复"
    # scan(today) -> {"red": turned red since the last scan, "yellow": turned yellow, …}
    scan: Callable[[date], dict]
    # counts(division codes or None for all) -> {(department id, "green"|"yellow"|"red"): n}
    # of the rows with a running deadline, lit as of today
    counts: Callable
    # lit(division codes or None, light, limit) -> [{"number", "title", "department",
    # "due", "light", "url"}], the most overdue first
    lit: Callable
    # The performance evaluation's indicator of this kind (shenpi.core.scoring's code) and
    # indicator(first day, last day) -> {department id: its raw value}
    indicator_code: str = ""
    indicator: Callable | None = None


WATCHED: list[Watched] = []


def register_watched(watched: Watched) -> Watched:
    if any(w.name == watched.name for w in WATCHED):
        raise ValueError(f"watched deadline {watched.name!r} is registered already")
    WATCHED.append(watched)
    return watched


def watched_indicators(start: date, end: date) -> dict:
    """{indicator code: {department id: raw value}} of the period, from each kind that
    has one."""
    return {w.indicator_code: w.indicator(start, end) for w in WATCHED if w.indicator is not None}


def scan_watched(today: date) -> dict:
    return {w.name: w.scan(today) for w in WATCHED}
