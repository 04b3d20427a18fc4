"""The hall phase's floor and bare queries do the app's board exactly: the same three
queries the board API runs (captured here), and the same answer (issue 30)."""

import json

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from bench import floor_views
from bench.sql import HALL_BOARD_SQL
from shenpi.hall import services
from shenpi.hall.models import Hall

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the floor speaks PostgreSQL"),
]


def _normal(sql: str) -> str:
    return " ".join(sql.replace('"', "").split()).lower()


def test_the_floor_and_the_bare_queries_answer_the_board_as_the_app_does(client, demo):
    hall = Hall.objects.get(centre__code="yc-zwfw")
    clerk = demo("clerk_yc_scjg")
    with time_machine.travel("2026-10-08 09:00 +0800") as traveller:
        for _ in range(3):
            services.ticket_take(actor=None, hall=hall, group=hall.groups.get(letter="A"),
                                 hall_key=hall.qr_key)  # fmt: skip
            traveller.shift(30)
        services.call_next(actor=clerk, window=clerk.window)
        with CaptureQueriesContext(connection) as captured:
            app = client.get("/api/v1/hall/centres/yc-zwfw/board/").json()
        floor = json.loads(floor_views.hall_board(RequestFactory().get("/"), "yc-zwfw").content)
    assert app == floor
    assert app["calls"][0]["label"] == "A001" and app["waiting"] == {"A": 2}
    # The app's three statements are the floor's and the bare timing's, values aside.
    ran = [_normal(q["sql"]) for q in captured.captured_queries]
    assert len(ran) == len(HALL_BOARD_SQL) == 3
    for sql, ours in zip(ran, HALL_BOARD_SQL, strict=True):
        shape = _normal(ours)
        for table, alias in (("hall_hall", "h"), ("accounts_department", "d"),
                             ("accounts_division", "v"), ("hall_ticket", "t"),
                             ("accounts_window", "w"), ("hall_itemgroup", "g")):  # fmt: skip
            sql = sql.replace(f"{table}.", f"{alias}.")
        for word in ("from", "join", "where", "order by", "group by", "limit"):
            assert (word in sql) == (word in shape), (word, sql)
