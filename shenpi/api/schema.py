"""The OpenAPI schema says what the API answers: every error is RFC 7807 problem JSON
(api.errors), so every operation documents the problems it can answer with; and each
operation documents one body type, its view's first (JSON, or the form of an upload)."""

from drf_spectacular.openapi import AutoSchema


class OneBodyTypeSchema(AutoSchema):
    """A view accepts JSON and forms alike, but a generated client reads an operation with
    several body types of one schema as several bodies and cannot be imported
    (openapi-python-client 0.29); the view's first parser is the one it is meant for."""

    def map_parsers(self):
        return super().map_parsers()[:1]


PROBLEM = {
    "type": "object",
    "description": "RFC 7807 problem details",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "稳定的错误代码"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "按字段列出的错误",
        },
    },
    "required": ["type", "title", "status", "detail", "code"],
}
ANY = {
    "400": "输入有误",
    "401": "未登录或令牌无效",
    "403": "无权执行此操作",
    "404": "未找到，或不在调用者的范围内",
    "429": "请求过于频繁",
}
WRITES = {"409": "操作冲突（次序不对、重复或并发）", "413": "内容过大"}
# Answered by the web server in front of the application, as its own HTML page, for a
# request line longer than it accepts (gunicorn: 4,094 bytes).
SERVER = {"414": "请求的网址过长（Web 服务器答复）"}


def add_problem_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: the Problem component, and each operation's
    problem responses where the view did not declare them."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    ref = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            responses = operation.setdefault("responses", {})
            codes = {**ANY, **(WRITES if method in ("post", "put", "patch", "delete") else {})}
            for code, description in codes.items():
                responses.setdefault(code, {"description": description, "content": ref})
            for code, response in responses.items():
                if code >= "400" and "content" not in response:  # declared by the view
                    response["content"] = ref
            for code, description in SERVER.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"text/html": {"schema": {"type": "string"}}},
                    },
                )
    return result
