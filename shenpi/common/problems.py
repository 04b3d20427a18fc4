"""RFC 7807 problem JSON (CONTRACTS.md "API conventions"): the body every API error has,
for the API's exception handler and for the middleware that answers before a view runs
(lockout, NUL characters)."""

from django.http import JsonResponse

PROBLEM = "application/problem+json"

TITLES = {
    400: ("invalid", "输入有误"),
    401: ("not_authenticated", "未登录或身份无效"),
    403: ("forbidden", "无权执行此操作"),
    404: ("not_found", "未找到"),
    405: ("method_not_allowed", "不支持的请求方法"),
    406: ("not_acceptable", "无法提供所要求的格式"),
    409: ("conflict", "操作冲突"),
    413: ("too_large", "内容过大"),
    415: ("unsupported_media_type", "不支持的内容类型"),
    429: ("throttled", "请求过于频繁"),
}


def problem(
    status_code: int, detail: str, *, code: str | None = None, errors=None, title=None
) -> dict:
    default_code, default_title = TITLES.get(status_code, ("error", "服务器错误"))
    body = {
        "type": f"https://shenpi.nx.gov.cn/problems/{code or default_code}",
        "title": title or default_title,
        "status": status_code,
        "detail": detail,
        "code": code or default_code,
    }
    if errors:
        body["errors"] = errors
    return body


def problem_response(status_code: int, detail: str, **kwargs) -> JsonResponse:
    return JsonResponse(
        problem(status_code, detail, **kwargs),
        status=status_code,
        content_type=PROBLEM,
        json_dumps_params={"ensure_ascii": False},
    )
