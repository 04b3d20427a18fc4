"""Catalogue rules of the pure core, each at its edge, with its LAW.md id."""

import dataclasses

from shenpi.core.flow import Flow, Owner, Stage, Step, default_flow
from shenpi.core.rules import FeeSpec, VersionSpec, check_version


def spec(**overrides):
    base = VersionSpec(
        kind="time_limited",
        handling_mode="single",
        statutory_days=20,
        promised_days=10,
        extension_days=10,
        limit_basis="",
        material_count=3,
        fees=(),
        flow=default_flow("a"),
    )
    return dataclasses.replace(base, **overrides)


def rules(v):
    return {(x.rule, x.field) for x in check_version(v)}


def test_a_sound_version_passes():
    assert check_version(spec()) == []


def test_tl01_promised_may_equal_statutory_but_not_exceed_it():
    assert rules(spec(promised_days=20)) == set()
    assert ("TL-01", "promised_days") in rules(spec(promised_days=21))


def test_tl01_single_ceiling_is_20_and_10_without_a_citation():
    assert rules(spec(statutory_days=20, extension_days=10)) == set()
    assert ("TL-01", "statutory_days") in rules(spec(statutory_days=21))
    assert ("TL-01", "extension_days") in rules(spec(extension_days=11))


def test_tl01_a_cited_law_may_set_another_limit():
    assert (
        rules(spec(statutory_days=60, promised_days=30, limit_basis="《环境影响评价法》第二十二条"))
        == set()
    )


def parallel_flow():
    return Flow(
        (
            Stage((Step("a", "受理", Owner("lead")),)),
            Stage((Step("b", "意见", Owner("x")), Step("c", "意见", Owner("y")))),
            Stage((Step("d", "决定", Owner("lead"), "head", 2, lead=True, decision=True),)),
        )
    )


def test_rcv08_parallel_departments_cannot_be_single_mode():
    assert ("RCV-08", "handling_mode") in rules(spec(flow=parallel_flow()))
    assert (
        rules(
            spec(flow=parallel_flow(), handling_mode="joint", statutory_days=45, extension_days=15)
        )
        == set()
    )


def test_tl02_non_single_modes_stop_at_45_and_15():
    ok = spec(flow=parallel_flow(), handling_mode="unified", statutory_days=45, extension_days=15)
    assert rules(ok) == set()
    assert ("TL-02", "statutory_days") in rules(dataclasses.replace(ok, statutory_days=46))
    assert ("TL-02", "extension_days") in rules(dataclasses.replace(ok, extension_days=16))


def test_pub08_a_fee_needs_its_legal_basis():
    assert ("PUB-08", "fees") in rules(spec(fees=(FeeSpec("工本费", " "),)))
    assert rules(spec(fees=(FeeSpec("水资源费", "《水法》第四十八条"),))) == set()


def test_a_flow_without_a_decision_step_is_refused():
    flow = Flow((Stage((Step("a", "审核", Owner("a")),)),))
    assert ("RCV-08", "flow") in rules(spec(flow=flow))


def test_pub02_time_limited_items_need_materials_but_instant_ones_may_have_none():
    assert ("PUB-02", "materials") in rules(spec(material_count=0))
    assert rules(spec(material_count=0, kind="instant")) == set()


def test_dec04_quota_at_least_one():
    assert ("DEC-04", "quota") in rules(spec(quota=0))
    assert rules(spec(quota=1)) == set()


def test_lenient_acceptance_names_its_materials():
    assert ("RCV-05", "lenient_acceptance") in rules(
        spec(lenient_acceptance=True, lenient_materials=0)
    )
    assert rules(spec(lenient_acceptance=True, lenient_materials=1)) == set()


def test_rnw01_a_licence_with_validity_needs_a_renewal_lead():
    assert ("RNW-01", "renewal_lead_days") in rules(
        spec(validity_months=60, renewal_lead_days=None)
    )


def test_rev03_two_level_needs_a_local_first_stage_of_its_kind():
    local = Flow(
        (
            Stage((Step("low", "下级审查", Owner(kind="market"), days=20),)),
            Stage((Step("d", "决定", Owner("up"), "head", 2, lead=True, decision=True),)),
        )
    )
    assert ("REV-03", "flow") in rules(spec(two_level=True, lower_kind="market"))
    assert rules(spec(two_level=True, lower_kind="market", flow=local)) == set()
    assert ("REV-03", "flow") in rules(spec(two_level=True, lower_kind="housing", flow=local))
    assert ("REV-03", "two_level") in rules(spec(flow=local))


def test_tl03_the_lower_level_reviews_within_20_working_days():
    def local(days):
        return Flow(
            (
                Stage((Step("low", "下级审查", Owner(kind="market"), days=days),)),
                Stage((Step("d", "决定", Owner("up"), "head", 2, lead=True, decision=True),)),
            )
        )

    assert rules(spec(two_level=True, lower_kind="market", flow=local(20))) == set()
    assert ("TL-03", "flow") in rules(spec(two_level=True, lower_kind="market", flow=local(21)))
