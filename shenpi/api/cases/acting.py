"""The actions on a case and its steps, each its own API operation (issue 25), generated
from cases.actions — the same table the case page dispatches through — so the pages and
the API cannot drift: POST /cases/{id}/<resource>/ for the case's actions and
/tasks/{id}/<resource>/ for a step's, with the action's own input serializer (inputs.py)
and example."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from shenpi.accounts.models import User
from shenpi.cases import actions, selectors
from shenpi.cases.models import Task

from ..idempotency import idempotent
from . import inputs
from .output import CaseOut, case_for, case_response


def _case(request, pk, data):
    """The case, looked up once the client's permission is checked; then the officer a
    hearing names."""
    found = case_for(request, pk)
    if "presiding_officer" in data:
        data["presiding_officer"] = get_object_or_404(User, username=data["presiding_officer"])
    return found


def _task(request, pk, data):
    """The step, among those of cases the caller may see; then the colleague it goes to."""
    visible = Task.objects.filter(case__in=selectors.cases_visible_to(request.user))
    found = get_object_or_404(visible, pk=pk)
    if "to" in data:
        data["to"] = get_object_or_404(User, username=data["to"])
    return found


def _view(table, name: str, serializer):
    action = table.actions[name]
    lookup = _task if table.target == "task" else _case

    class OperationApi(APIView):
        permission_classes = [IsAuthenticated]

        @extend_schema(
            operation_id=f"{table.target}_{name}",
            summary=action.title,
            request=serializer,
            responses=CaseOut,
            examples=[OpenApiExample(action.title, value=inputs.EXAMPLES[name], request_only=True)],
        )
        @idempotent
        def post(self, request, pk):
            data = {**inputs.validated(serializer, request), "action": name}
            done = actions.run(
                table, name, user=request.user, target=lambda: lookup(request, pk, data), data=data
            )
            return case_response(request, done if table.target == "case" else done.case)

    OperationApi.__name__ = OperationApi.__qualname__ = (
        "".join(part.title() for part in name.split("_")) + "Api"
    )
    return OperationApi.as_view()


def urlpatterns() -> list:
    """One route per action of the tables, named api:case_<action> and api:task_<action>."""
    routes = []
    for table, serializers, prefix in (
        (actions.CASE, inputs.CASE, "cases"),
        (actions.REVIEW, inputs.REVIEW, "cases"),
        (actions.TASK, inputs.TASK, "tasks"),
    ):
        for name, action in table.actions.items():
            routes.append(
                path(
                    f"{prefix}/<uuid:pk>/{action.resource}/",
                    _view(table, name, serializers[name]),
                    name=f"{table.target}_{name}",
                )
            )
    return routes
