"""RFC 7807 problem JSON for every API error (CONTRACTS.md)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from shenpi.common.problems import PROBLEM, problem
from shenpi.core.errors import DomainError


def _field_errors(detail, path: str = ""):
    """(field path, message) for each of DRF's nested errors; a nested field is named by
    its path ("defects.0.note", "lenient.0"), an error of no field by non_field_errors."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            yield from _field_errors(value, f"{path}.{key}" if path else str(key))
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            if isinstance(item, dict | list):
                yield from _field_errors(item, f"{path}.{index}" if path else str(index))
            else:
                yield path or "non_field_errors", str(item)
    else:
        yield path or "non_field_errors", str(detail)


def _flatten(detail) -> dict[str, list[str]]:
    """One list of messages per field, as the schema documents `errors`."""
    out: dict[str, list[str]] = {}
    for path, message in _field_errors(detail):
        out.setdefault(path, []).append(message)
    return out


def problem_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {
            **problem(
                exc.status, exc.message, code=exc.code, errors=exc.errors or None, title=exc.title
            ),
            **exc.extra,
        }
        response = Response(body, status=exc.status, content_type=PROBLEM)
        if exc.status == 401:
            response["WWW-Authenticate"] = "Bearer"
        return response
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到该资源，或您无权查看。")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        body = problem(400, "请求数据有误，请按各字段的提示修改。", errors=errors)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = getattr(exc, "default_code", None)
        code = {"authentication_failed": "not_authenticated", "permission_denied": "forbidden"}.get(
            code, code
        )
        body = problem(
            response.status_code, str(detail), code=code if response.status_code != 400 else None
        )
    response.data = body
    response.content_type = PROBLEM
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = "Bearer"
    return response
