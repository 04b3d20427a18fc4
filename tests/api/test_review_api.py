import threading

import pytest
from django.db import connection

from shenpi.accounts.constants import ClientAction
from shenpi.cases.models import Task
from tests.cases.test_review import accepted_project

from .test_api import assert_problem, make_client, token_for


@pytest.mark.django_db
def test_officials_work_their_steps_over_the_api(client, demo):
    case = accepted_project(demo)
    auth = token_for(client, "nx_fgw_off1")
    inbox = client.get("/api/v1/tasks/", **auth).json()["results"]
    task = next(t for t in inbox if t["case"] == str(case.pk))
    assert task["step_key"] == "intake_review"
    done = client.post(
        f"/api/v1/tasks/{task['id']}/completion/",
        {"opinion": "材料齐全"},
        content_type="application/json",
        **auth,
    )
    assert done.status_code == 200
    assert {t["step_key"] for t in done.json()["tasks"] if t["status"] == "open"} == {
        "land_opinion",
        "environment_opinion",
        "construction_opinion",
    }
    again = client.post(
        f"/api/v1/tasks/{task['id']}/completion/",
        {"opinion": "x"},
        content_type="application/json",
        **auth,
    )
    assert_problem(again, 409, "task_done")
    bad = client.post(
        f"/api/v1/cases/{case.pk}/suspensions/",
        {"reason": "holiday", "expected_days": 3},
        content_type="application/json",
        **auth,
    )
    assert_problem(bad, 400, "reason_not_in_art_45")


@pytest.mark.django_db
def test_a_department_system_acts_for_a_named_official(client, demo):
    case = accepted_project(demo)
    land = Task.objects.get(case=case, step_key="intake_review")
    _sc, auth = make_client(
        department="nx-fgw", actions=[ClientAction.CASE_ACT, ClientAction.CASE_READ]
    )
    missing = client.post(
        f"/api/v1/tasks/{land.pk}/completion/",
        {"opinion": "ok"},
        content_type="application/json",
        **auth,
    )
    assert_problem(missing, 400)
    outsider = client.post(
        f"/api/v1/tasks/{land.pk}/completion/",
        {"opinion": "ok", "official": "nx_zrzy_off1"},
        content_type="application/json",
        **auth,
    )
    assert_problem(outsider, 400)
    ok = client.post(
        f"/api/v1/tasks/{land.pk}/completion/",
        {"opinion": "材料齐全", "official": "nx_fgw_off2"},
        content_type="application/json",
        **auth,
    )
    assert ok.status_code == 200
    land.refresh_from_db()
    assert land.claimed_by == demo("nx_fgw_off2")


@pytest.mark.django_db(transaction=True)
def test_two_officials_completing_the_same_step_at_once_one_wins_the_other_gets_409(demo):
    """Real parallel connections (PostgreSQL): select_for_update serialises them."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite serialises writers as a whole; the row-lock race is tested on PostgreSQL"
        )
    from shenpi.cases import services
    from shenpi.core.errors import Conflict
    from shenpi.demo import seed_everything

    seed_everything()
    case = accepted_project(demo)
    task = Task.objects.get(case=case, step_key="intake_review")
    barrier = threading.Barrier(2)
    results = []

    def complete(username):
        try:
            barrier.wait()
            services.task_complete(actor=demo(username), task=task, opinion=f"{username} 审查")
            results.append("ok")
        except Conflict as exc:
            results.append(exc.code)
        finally:
            connection.close()  # each thread's own connection, so the test database can be dropped

    threads = [threading.Thread(target=complete, args=(u,)) for u in ("nx_fgw_off1", "nx_fgw_off2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "task_done"]
    assert Task.objects.filter(case=case, step_key="land_opinion").count() == 1


@pytest.mark.django_db
def test_the_inbox_pages_by_due_date_with_a_cursor(client, demo):
    first, second, third = (accepted_project(demo) for _ in range(3))
    auth = token_for(client, "nx_fgw_off1")
    seen, url = [], "/api/v1/tasks/?page_size=2"
    while url:
        page = client.get(url, **auth).json()
        assert len(page["results"]) <= 2
        seen += page["results"]
        url = page["next"]
    ours = [t for t in seen if t["case"] in {str(c.pk) for c in (first, second, third)}]
    assert len(ours) == 3 and len({t["id"] for t in seen}) == len(seen)  # each step once
    keys = [(t["due_date"], t["id"]) for t in seen]
    assert keys == sorted(keys)  # by due date, then id, across pages
    assert {t["case_number"] for t in ours} == {c.number for c in (first, second, third)}


@pytest.mark.django_db
def test_the_inbox_pages_back_to_the_same_rows_and_refuses_a_forged_cursor(client, demo):
    for _ in range(3):
        accepted_project(demo)
    auth = token_for(client, "nx_fgw_off1")
    pages, url = [], "/api/v1/tasks/?page_size=2"
    while url:
        pages.append(client.get(url, **auth).json())
        url = pages[-1]["next"]
    assert len(pages) >= 2 and pages[0]["previous"] is None
    back, url = [], pages[-1]["previous"]  # from the last page back to the first
    while url:
        page = client.get(url, **auth).json()
        back.insert(0, page["results"])
        url = page["previous"]
    assert back == [page["results"] for page in pages[:-1]]
    for forged in ("bm9wZQ==", "eHwyMDI2LTAxLTAxfDA=", "%%%"):  # "nope", "x|2026-01-01|0"
        response = client.get(f"/api/v1/tasks/?cursor={forged}", **auth)
        assert response.status_code == 404
        assert response.json()["detail"] == "分页游标无效。"


@pytest.mark.django_db
def test_an_inbox_row_holds_the_step_its_case_and_who_holds_it(client, demo):
    """Every field of a row, as the schema documents it, for an official's token and for
    the department system's (the row is written out directly, not field by field)."""
    case = accepted_project(demo)
    step = Task.objects.get(case=case, step_key="intake_review")
    official = token_for(client, "nx_fgw_off1")
    _sc, system = make_client(department="nx-fgw", actions=[ClientAction.CASE_READ])
    for auth in (official, system):
        rows = client.get("/api/v1/tasks/?page_size=200", **auth).json()["results"]
        row = next(r for r in rows if r["case"] == str(case.pk))
        assert row == {
            "id": str(step.pk),
            "case": str(case.pk),
            "case_number": case.number,
            "item_name": case.version.name,
            "step_key": "intake_review",
            "step_name": step.step_name,
            "department": "nx-fgw",
            "role": step.role,
            "status": "open",
            "claimed_by": None,
            "due_date": step.due_date.isoformat(),
        }
        # Only the caller's department's steps (the code is written from the caller's
        # department, so the steps' own departments are read back from the database).
        held_by = Task.objects.filter(pk__in=[r["id"] for r in rows]).values_list(
            "department__code", flat=True
        )
        assert set(held_by) == {"nx-fgw"} and {r["department"] for r in rows} == {"nx-fgw"}
    step.status, step.claimed_by = "claimed", demo("nx_fgw_off1")
    step.save(update_fields=["status", "claimed_by"])
    rows = client.get("/api/v1/tasks/?page_size=200", **official).json()["results"]
    row = next(r for r in rows if r["case"] == str(case.pk))
    assert (row["status"], row["claimed_by"]) == ("claimed", "nx_fgw_off1")
    case.status = "suspended"
    case.save(update_fields=["status"])
    rows = client.get("/api/v1/tasks/?page_size=200", **official).json()["results"]
    assert str(case.pk) not in {r["case"] for r in rows}
