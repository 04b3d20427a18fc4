"""The benchmark's floor and raw limit do the app's FAQ search exactly: the same FAQ in
the same order for every query of the phase, and the phase's queries take every way the
app reads (issue 22)."""

import json

import pytest
from django.db import connection
from django.test import RequestFactory

from bench import floor_views
from bench.consult_data import generate_consultation
from bench.run import SEARCH_QUERIES
from shenpi.search.terms import query_terms, tsquery

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the floor speaks PostgreSQL"),
]


def test_the_floor_finds_what_the_api_finds(client):
    generate_consultation(faqs=600, questions=50, log=lambda *a: None)
    paths = set()
    for q in SEARCH_QUERIES:
        app = client.get("/api/v1/faqs/", {"q": q}).json()
        floor = json.loads(floor_views.faqs(RequestFactory().get("/floor/faqs/", {"q": q})).content)
        assert [f["id"] for f in app] == [f["id"] for f in floor], q
        assert [f["needs_review"] for f in app] == [f["needs_review"] for f in floor], q
        executed: list = []
        with connection.cursor() as cursor:
            floor_views.faq_search_rows(cursor, tsquery(query_terms(q)), executed)
        paths.update(
            "window" if "LIMIT 2000" in sql else "by ids" if "ANY(" in sql else "index"
            for sql, _params in executed
        )
        paths.update("answers" for sql, _params in executed if "search_vector" in sql)
    # The phase's queries take every way the app reads a page.
    assert paths == {"window", "by ids", "index", "answers"}
