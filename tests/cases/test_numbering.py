"""Numbers of cases, licences and notices (issue 20, defect 6): unique and increasing under
their key, drawn outside the state change's transaction; a rolled-back draw leaves a gap."""

import threading

import pytest
from django.db import connection, transaction

from shenpi.accounts.models import Department, Division
from shenpi.cases import numbering, services
from shenpi.cases.models import Task
from shenpi.catalog.models import Item

from .conftest import FOOD_FORM, complete_draft


def ready_to_decide(demo):
    item = Item.objects.get(code="640100-SCJG-001")
    case = complete_draft(services, demo("zhangsan"), item)
    case = services.case_submit(
        actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
    )
    case = services.case_accept(actor=demo("yc_scjg_off1"), case=case)
    for key in ("first_review", "review", "second_review"):
        task = Task.objects.get(case=case, step_key=key)
        if key == "review":
            services.task_claim(actor=demo("yc_scjg_off1"), task=task)
            services.task_verify(actor=demo("yc_scjg_off2"), task=task)
        services.task_complete(actor=demo("yc_scjg_off1"), task=task, opinion="符合")
    return case


@pytest.mark.django_db
def test_numbers_increase_under_their_own_key():
    yc = Division.objects.get(code="640100")
    scjg = Department.objects.get(code="yc-scjg")
    from datetime import date

    a = numbering.case_number(yc, date(2026, 12, 7))
    b = numbering.case_number(yc, date(2026, 12, 7))
    assert a[:-5] == b[:-5] == "64010020261207" and int(b[-5:]) == int(a[-5:]) + 1
    first = numbering.licence_number(scjg, 2031)
    assert first[:14] == "6401002031SCJG" and len(first) == 20
    assert numbering.licence_number(scjg, 2031) == f"{first[:14]}{int(first[14:]) + 1:06d}"
    assert numbering.notice_sequence(scjg, 2031) == 1  # its own key, drawn here only


@pytest.mark.django_db
def test_a_notice_takes_its_number_from_the_counter_not_a_count(demo):
    """Counted numbering (count() + 1) gave again a number whose draw had been rolled back
    (or whose notice was deleted); the counter never does."""
    from django.utils import timezone

    scjg = Department.objects.get(code="yc-scjg")
    year = timezone.localdate().year
    # Three draws whose notices were never written (on PostgreSQL the counter, committed
    # at once, also carries the draws of earlier tests).
    last = [numbering.notice_sequence(scjg, year) for _ in range(3)][-1]
    assert last >= 3
    case = ready_to_decide(demo)
    numbers = list(case.notices.values_list("number", flat=True))
    assert numbers == [f"{scjg.short_name}受字〔{year}〕第{last + 1:05d}号"]


@pytest.mark.django_db(transaction=True)
def test_two_licences_granted_at_the_same_moment_get_two_numbers(demo):
    """Real parallel connections (PostgreSQL): with count() + 1 both grants counted the
    same licences and the second failed on the unique number."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers as a whole; the race is tested on PostgreSQL")
    from shenpi.demo import seed_everything

    seed_everything()
    cases = [ready_to_decide(demo), ready_to_decide(demo)]
    barrier = threading.Barrier(2)
    results = []

    def decide(case):
        try:
            barrier.wait()
            decided = services.case_decide(actor=demo("yc_scjg_head"), case=case, outcome="granted")
            results.append(decided.issued_licence.number)
        except Exception as exc:  # noqa: BLE001 - the test reports what went wrong
            results.append(repr(exc))
        finally:
            numbering.close()
            connection.close()

    threads = [threading.Thread(target=decide, args=(c,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 2 and all(r.startswith("6401") for r in results), results


@pytest.mark.django_db(transaction=True)
def test_a_draw_is_committed_at_once_and_a_rollback_leaves_a_gap():
    """The counter row is not held until the state change commits: another connection
    draws while the first transaction is still open, and the first one's rollback
    gives its number back to nobody."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite draws inside the transaction (one writer at a time)")
    drawn, open_, go_on = [], threading.Event(), threading.Event()

    def holder():
        try:
            with transaction.atomic():
                drawn.append(numbering.draw("test:gap"))
                open_.set()
                go_on.wait(10)
                transaction.set_rollback(True)
        finally:
            numbering.close()
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    assert open_.wait(10)
    other = []
    worker = threading.Thread(
        target=lambda: (other.append(numbering.draw("test:gap")), connection.close())
    )
    worker.start()
    worker.join(5)
    finished = not worker.is_alive()
    go_on.set()
    thread.join()
    worker.join()
    assert finished, "the second draw waited for the first transaction"
    assert drawn == [1] and other == [2]
    assert numbering.draw("test:gap") == 3
