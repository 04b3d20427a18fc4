"""The warning rules the scan judges by (CONTRACTS.md "Lights"): for an item and a step,
how many working days left, or what share of the time used, turns a light yellow."""

from __future__ import annotations

from ..models import RuleKind, WarningRule

DEFAULT = (1, 0.8)  # one working day left, or four fifths of the time used


def active_rules(kind: str = RuleKind.CASE) -> dict:
    """{(item id or None, step key or ""): (yellow_left, yellow_ratio)} of the rules on,
    of one kind (a case's lights, or a question's answer)."""
    table = {}
    for rule in WarningRule.objects.filter(active=True, kind=kind).order_by("version"):
        table[(rule.item_id, rule.step_key)] = (rule.yellow_left, float(rule.yellow_ratio))
    return table


def thresholds(rules: dict, item_id, step_key: str = "") -> tuple[int, float]:
    """The most specific rule: (item, step) → (item) → (step) → the default."""
    for key in ((item_id, step_key), (item_id, ""), (None, step_key), (None, "")):
        if key in rules:
            return rules[key]
    return DEFAULT
