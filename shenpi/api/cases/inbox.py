"""The review inbox: a department's open steps by due date, in keyset pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated

from shenpi.accounts.client_operations import ensure_client_may
from shenpi.cases import selectors
from shenpi.cases.models import Task

from ..pagination import KeysetPagination


class TaskInboxOut(serializers.Serializer):
    """One open step of the inbox. The fields document the schema; a row (a dict from the
    inbox's query) is written out directly, as these fields would write it, instead of
    field by field (a page is 50 rows, and officials open it all day)."""

    id = serializers.UUIDField()
    case = serializers.UUIDField(source="case_id")
    case_number = serializers.CharField()
    item_name = serializers.CharField()
    step_key = serializers.CharField()
    step_name = serializers.CharField()
    department = serializers.CharField(source="department_code")
    role = serializers.CharField()
    status = serializers.CharField()
    claimed_by = serializers.CharField(source="claimed_by_username", allow_null=True)
    due_date = serializers.DateField()

    def to_representation(self, row):
        return {
            "id": str(row["id"]),
            "case": str(row["case_id"]),
            "case_number": row["case_number"],
            "item_name": row["item_name"],
            "step_key": row["step_key"],
            "step_name": row["step_name"],
            "department": row["department_code"],
            "role": row["role"],
            "status": row["status"],
            "claimed_by": row["claimed_by_username"],
            "due_date": row["due_date"].isoformat(),
        }


class InboxPagination(KeysetPagination):
    """Keyset pages (due date, id): the 100th page costs what the first does."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class TaskInboxApi(generics.ListAPIView):
    """The caller's department's open steps, by due date (for a system client: its department's)."""

    serializer_class = TaskInboxOut
    permission_classes = [IsAuthenticated]
    pagination_class = InboxPagination
    queryset = Task.objects.none()  # the schema's model: the rows come from open_steps_page

    def list(self, request, *args, **kwargs):
        user = request.user
        ensure_client_may(user, "task.list")
        department = (
            user.client.department if getattr(user, "is_system_client", False) else user.department
        )
        paginator = self.paginator
        direction, key = paginator.key_from(request)
        rows, more = selectors.open_steps_page(
            department.pk if department else None,
            after=key if direction == "n" else None,
            before=key if direction == "p" else None,
            size=paginator.get_page_size(request),
        )
        # Every row's department is the one asked for: its code is known, not joined.
        out = TaskInboxOut()
        data = [out.to_representation({**row, "department_code": department.code}) for row in rows]
        return paginator.respond(request, direction, key, rows, more, data)

    @extend_schema(summary="审查任务（本部门待办，按期限排序，每页 50 条，游标分页）")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
