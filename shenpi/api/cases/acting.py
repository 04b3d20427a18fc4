"""The actions on a case and its steps (cases.actions: the same table the case page
dispatches through). Each action's own input serializer (inputs.py) checks its fields;
the schema documents the union of them under `action`."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from shenpi.accounts.models import User
from shenpi.cases import actions, selectors
from shenpi.cases.models import Task

from ..idempotency import idempotent
from . import inputs
from .inputs import ActionIn, ReviewActionIn, TaskActionIn
from .output import CaseOut, case_for, case_response


def _action(union, request) -> str:
    """The action named, checked against the union serializer's choices (and its fields,
    as the schema documents them); its own serializer then checks its fields."""
    body = union(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data["action"]


class CaseActionApi(APIView):
    """Every transition of intake and instant decisions; each calls its one service."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="办件操作：补正提交、撤回、受理、一次性告知、不予受理、决定、送达",
        request=ActionIn,
        responses=CaseOut,
    )
    @idempotent
    def post(self, request, pk):
        action = _action(ActionIn, request)
        d = inputs.validated(inputs.CASE, request, action)
        case = actions.run(
            actions.CASE,
            d["action"],
            user=request.user,
            target=lambda: case_for(request, pk),
            data=d,
        )
        return case_response(request, case)


class TaskActionApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="办理审查环节：认领、退回、转交、复核、完成、答复不同意意见",
        request=TaskActionIn,
        responses=CaseOut,
    )
    @idempotent
    def post(self, request, pk):
        d = inputs.validated(inputs.TASK, request, _action(TaskActionIn, request))

        def task():
            # Looked up once the client's permission is checked, then the colleague it names.
            visible = Task.objects.filter(case__in=selectors.cases_visible_to(request.user))
            found = get_object_or_404(visible, pk=pk)
            if d["action"] == "pass":
                d["to"] = get_object_or_404(User, username=d.get("to", ""))
            return found

        done = actions.run(actions.TASK, d["action"], user=request.user, target=task, data=d)
        return case_response(request, done.case)


class CaseReviewActionApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="特别程序（暂停/恢复）、延期、催办", request=ReviewActionIn, responses=CaseOut
    )
    @idempotent
    def post(self, request, pk):
        d = inputs.validated(inputs.REVIEW, request, _action(ReviewActionIn, request))

        def case():
            # Looked up once the client's permission is checked, then the officer it names.
            found = case_for(request, pk)
            if d["action"] == "hearing_schedule" and d.get("on"):
                d["presiding_officer"] = get_object_or_404(
                    User, username=d.get("presiding_officer", "")
                )
            return found

        done = actions.run(actions.REVIEW, d["action"], user=request.user, target=case, data=d)
        return case_response(request, done)
