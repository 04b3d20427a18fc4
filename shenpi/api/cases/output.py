"""What the case API answers with: the case as its reader may see it, and the look-up
of a case in the caller's scope that every case operation starts from."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.response import Response

from shenpi.cases import selectors
from shenpi.cases.licences import licence_status_on
from shenpi.cases.models import Case


class EventOut(serializers.Serializer):
    at = serializers.DateTimeField()
    text = serializers.CharField()
    department = serializers.CharField(source="department.name", allow_null=True)


class NoticeOut(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    number = serializers.CharField()
    issued_at = serializers.DateTimeField()
    download = serializers.SerializerMethodField()
    verify = serializers.SerializerMethodField()

    def get_download(self, obj) -> str:
        return f"/notices/{obj.pk}/"

    def get_verify(self, obj) -> str:
        return f"/verify/notice/{obj.pk}/"


class CaseMaterialOut(serializers.Serializer):
    id = serializers.UUIDField()
    requirement = serializers.IntegerField(source="requirement_id")
    requirement_name = serializers.CharField(source="requirement.name")
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    round = serializers.IntegerField()
    original_seen_at = serializers.DateTimeField(allow_null=True)


class TaskOut(serializers.Serializer):
    id = serializers.UUIDField()
    step_key = serializers.CharField()
    step_name = serializers.CharField()
    department = serializers.CharField(source="department.code")
    status = serializers.CharField()
    due_date = serializers.DateField()


class CaseOut(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code")
    version = serializers.IntegerField(source="version.number")
    item_name = serializers.CharField(source="version.name")
    department = serializers.CharField(source="department.code")
    status_display = serializers.CharField(source="get_status_display")
    events = serializers.SerializerMethodField()
    notices = NoticeOut(many=True)
    materials = CaseMaterialOut(many=True)
    tasks = TaskOut(many=True)
    licence = serializers.SerializerMethodField()
    source_system = serializers.CharField(
        source="source_client.name",
        allow_null=True,
        default=None,
        help_text="由下级平台自行办理时，该平台的名称（此类办件在本平台只读）",
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "query_password",
            "kind",
            "item",
            "version",
            "item_name",
            "department",
            "status",
            "status_display",
            "outcome",
            "channel",
            "applicant_name",
            "form_data",
            "received_at",
            "correction_due",
            "supplement_due",
            "accepted_at",
            "deemed_accepted",
            "promised_due",
            "statutory_due",
            "due_provisional",
            "decided_at",
            "closed_at",
            "reason_text",
            "competent_organ",
            "events",
            "notices",
            "materials",
            "tasks",
            "licence",
            "source_system",
            "source_case_id",
        ]

    def get_events(self, obj) -> list[dict]:
        return EventOut(obj.events.filter(public=True).select_related("department"), many=True).data

    def get_licence(self, obj) -> dict | None:
        licence = getattr(obj, "issued_licence", None) if obj.outcome == "granted" else None
        if licence is None:
            return None
        return {
            "number": licence.number,
            "status": licence_status_on(licence),
            "verify": f"/verify/licence/{licence.verification_code}/",
            "valid_until": licence.valid_until,
        }

    def to_representation(self, obj):
        data = super().to_representation(obj)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if (
            user is None
            or getattr(user, "is_system_client", False)
            or (obj.applicant_id != user.pk and obj.submitted_by_id != user.pk)
        ):
            data.pop("query_password")  # only the applicant's side sees it
        return data


def case_for(request, pk) -> Case:
    return selectors.case_for_user(request.user, pk, request)


def case_response(request, case) -> Response:
    case = (
        Case.objects.select_related("item", "version", "department")
        .prefetch_related("notices", "materials__requirement", "tasks__department")
        .get(pk=case.pk)
    )
    return Response(CaseOut(case, context={"request": request}).data)
