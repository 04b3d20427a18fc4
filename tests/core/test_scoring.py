"""The evaluation arithmetic, checked by hand on a small table."""

from shenpi.core.scoring import DEFAULT_WEIGHTS, evaluate, grade, indicator_score


def test_each_indicator_scores_as_documented():
    params = {"yellow": 1, "red": 3, "finding": 10, "complaint": 10}
    assert indicator_score("on_time_rate", 92.5, params) == 92.5
    assert indicator_score("time_used", 0.8, params) == 100  # faster than promised: capped at 100
    assert indicator_score("time_used", 1.2, params) == 80
    assert indicator_score("warnings", (4, 2), params) == 90  # 100 - 4×1 - 2×3
    assert indicator_score("findings", 1, params) == 90
    assert indicator_score("complaints", 12, params) == 0  # never below zero


def test_a_small_table_by_hand():
    weights = {"on_time_rate": 50, "warnings": 30, "satisfaction": 20}
    raw = {
        "甲局": {
            "on_time_rate": 90,
            "warnings": (2, 1),
            "satisfaction": 80,
        },  # 45 + 28.5 + 16 = 89.5
        "乙局": {"on_time_rate": 100, "warnings": (0, 0), "satisfaction": 100},  # 100
        "丙局": {"on_time_rate": 60, "warnings": (10, 10), "satisfaction": 50},  # 30 + 18 + 10 = 58
        "丁局": {"on_time_rate": 90, "warnings": (2, 1), "satisfaction": 80},  # ties with 甲局
    }
    results = {r.unit: r for r in evaluate(raw, weights)}
    assert results["甲局"].total == 89.5 and results["甲局"].grade == "良好"
    assert (
        results["乙局"].total == 100
        and results["乙局"].rank == 1
        and results["乙局"].grade == "优秀"
    )
    assert (
        results["丙局"].total == 58
        and results["丙局"].grade == "不合格"
        and results["丙局"].rank == 4
    )
    assert results["甲局"].rank == results["丁局"].rank == 2
    line = next(x for x in results["丙局"].lines if x.code == "warnings")
    assert (line.score, line.weighted) == (60, 18)  # 100 - 10 - 30, × 30/100


def test_grades_at_their_edges():
    assert [grade(x) for x in (90, 89.99, 75, 74.99, 60, 59.99)] == [
        "优秀",
        "良好",
        "良好",
        "合格",
        "合格",
        "不合格",
    ]
    assert sum(DEFAULT_WEIGHTS.values()) == 100
