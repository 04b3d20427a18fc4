"""The OpenAPI schema says what the API answers (issue 29, 16)."""

import pytest
import yaml

from tests.api.test_api import assert_problem, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    return yaml.safe_load(client.get("/api/v1/schema/").content)


def test_lists_wrapped_in_results_are_documented_so(schema):
    for path in ("/api/v1/items/{code}/versions/", "/api/v1/supervision/warnings/"):
        ok = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        ref = ok["schema"]["$ref"].rsplit("/", 1)[1]
        assert schema["components"]["schemas"][ref]["properties"]["results"]["type"] == "array"


def test_every_operation_documents_its_problems(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            for code in ("400", "401", "403", "404", "429"):
                content = operation["responses"][code]["content"]
                assert "application/problem+json" in content, (path, method, code)
            if method == "post":
                assert "409" in operation["responses"], (path, method)


def test_invalid_query_values_are_refused(client, demo):
    citizen = token_for(client, "zhangsan")
    assert_problem(client.get("/api/v1/cases/", {"status": "nonsense"}, **citizen), 400)
    supervisor = token_for(client, "nx_jc_sup")
    assert_problem(
        client.get("/api/v1/supervision/warnings/", {"level": "purple"}, **supervisor), 400
    )
