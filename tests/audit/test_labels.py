"""The audit log reads in Chinese (issue 28): every action the code records has a name."""

import re
from pathlib import Path

from shenpi.audit.labels import ACTIONS, action_label

SHENPI = Path(__file__).resolve().parents[2] / "shenpi"
RECORDED = re.compile(r'(?:records\.audit\([^,()]+, |\baction=)"([a-z_]+(?:\.[a-z_]+)*)"')


def test_every_recorded_action_has_a_chinese_name():
    found = set()
    for path in SHENPI.rglob("*.py"):
        if "migrations" in path.parts or "management" in path.parts:
            continue
        found.update(RECORDED.findall(path.read_text()))
    assert len(found) > 60  # the pattern still finds what the code records
    assert sorted(found - set(ACTIONS)) == []


def test_a_refused_access_and_an_unknown_action_are_still_shown():
    assert action_label("case.denied") == "拒绝访问（办件）"
    assert action_label("case.submit") == "提交申请"
    assert action_label("something.new") == "something.new"
