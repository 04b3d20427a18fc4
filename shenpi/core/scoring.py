"""Performance evaluation arithmetic (绩效评估), pure: raw indicator values in, scores,
weighted total, grade and rank out, with every step kept for the explanation."""

from __future__ import annotations

from dataclasses import dataclass

# code: (name, how a raw value becomes a 0-100 score)
INDICATORS = {
    "on_time_rate": "按时办结率（%）",
    "time_used": "平均用时与承诺时限之比",
    "early_rate": "提前办结率（%）",
    "warnings": "黄牌、红牌",
    "findings": "纠错与责任认定",
    "complaints": "属实投诉",
    "satisfaction": "满意率（%）",
    "online_rate": "网上办理率（%）",
    "consultation": "咨询按期答复率与满意率（%）",
    "hall": "大厅等候达标率（%）",
}
DEFAULT_WEIGHTS = {
    "on_time_rate": 25,
    "time_used": 10,
    "early_rate": 5,
    "warnings": 15,
    "findings": 10,
    "complaints": 10,
    "satisfaction": 10,
    "online_rate": 5,
    "consultation": 5,
    "hall": 5,
}
# Parameters: points lost per yellow and red card, per finding, per substantiated complaint.
DEFAULT_PARAMS = {"yellow": 1, "red": 3, "finding": 10, "complaint": 10}


def clamp(x: float) -> float:
    return max(0.0, min(100.0, x))


def indicator_score(code: str, raw, params: dict) -> float | None:
    """A 0-100 score, or None when the indicator has nothing to measure in the period (a
    rate with no base: no case decided, rated or received): it then does not count."""
    if raw is None:
        return None
    if code in ("on_time_rate", "early_rate", "satisfaction", "online_rate"):
        return clamp(raw)
    if code == "time_used":
        # 1.0 (all the promised time) scores 100; each 1 % beyond it costs a point.
        return clamp(200 - 100 * raw) if raw else 100.0
    if code == "warnings":
        yellow, red = raw
        return clamp(100 - params["yellow"] * yellow - params["red"] * red)
    if code == "findings":
        return clamp(100 - params["finding"] * raw)
    if code == "complaints":
        return clamp(100 - params["complaint"] * raw)
    if code in ("consultation", "hall"):
        # A tuple of rates: the mean of those with a base in the period (consultation:
        # answered on time %, satisfied %; the hall: called within the promise %).
        known = [clamp(x) for x in raw if x is not None]
        return sum(known) / len(known) if known else None
    raise KeyError(code)


@dataclass(frozen=True)
class Line:
    code: str
    raw: object
    score: float | None  # None: not applicable in the period, its weight not counted
    weight: float
    weighted: float


@dataclass(frozen=True)
class Result:
    unit: str
    lines: tuple[Line, ...]
    total: float
    grade: str
    rank: int = 0


def grade(total: float) -> str:
    return "优秀" if total >= 90 else "良好" if total >= 75 else "合格" if total >= 60 else "不合格"


def evaluate(
    raw_by_unit: dict[str, dict], weights: dict[str, float], params: dict | None = None
) -> list[Result]:
    """Score every unit; ranked by total, ties sharing a rank. An indicator a unit has
    nothing to measure on is left out of its total, the other weights taking its share
    (an indicator with no base scores neither 100 nor 0)."""
    params = {**DEFAULT_PARAMS, **(params or {})}
    results = []
    for unit, raw in raw_by_unit.items():
        scores = {code: indicator_score(code, raw[code], params) for code in weights}
        total_weight = sum(w for code, w in weights.items() if scores[code] is not None) or 1
        lines = []
        for code, weight in weights.items():
            score = scores[code]
            if score is None:
                lines.append(Line(code, raw[code], None, weight, 0.0))
                continue
            score = round(score, 2)
            lines.append(
                Line(code, raw[code], score, weight, round(score * weight / total_weight, 2))
            )
        total = round(sum(line.weighted for line in lines), 2)
        results.append(Result(unit, tuple(lines), total, grade(total)))
    results.sort(key=lambda r: (-r.total, r.unit))
    ranked, previous, rank = [], None, 0
    for position, result in enumerate(results, start=1):
        if result.total != previous:
            rank, previous = position, result.total
        ranked.append(Result(result.unit, result.lines, result.total, result.grade, rank))
    return ranked
