"""/api/v1 for 本部门统计: the same figures, for the same departments, as the page
(stats.selectors), in numbers rather than text."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.core.errors import NotFound
from shenpi.stats import selectors
from shenpi.stats.periods import parse_period


class FiguresOut(serializers.Serializer):
    received = serializers.IntegerField(help_text="收件")
    accepted = serializers.IntegerField(help_text="受理（含视为受理）")
    not_accepted = serializers.IntegerField(help_text="不予受理")
    granted = serializers.IntegerField(help_text="准予许可")
    refused = serializers.IntegerField(help_text="不予许可")
    withdrawn = serializers.IntegerField(help_text="撤回（含视为撤回）")
    on_time_promised = serializers.FloatField(
        allow_null=True, help_text="承诺期限内作出决定的百分比"
    )
    on_time_statutory = serializers.FloatField(
        allow_null=True, help_text="法定期限内作出决定的百分比（第四十二条）"
    )
    average_days = serializers.FloatField(
        allow_null=True, help_text="受理至决定的平均工作日（特别程序不计入）"
    )
    p90_days = serializers.IntegerField(allow_null=True, help_text="90% 的决定在此工作日数内作出")
    correction = serializers.IntegerField(help_text="一次性告知补正")
    suspended = serializers.IntegerField(help_text="进入特别程序")
    extended = serializers.IntegerField(help_text="延期")


def _figures(figures) -> dict:
    return {key: figures.value(key) for key, _ in selectors.COLUMNS}


class ItemFiguresOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    figures = FiguresOut()


class DepartmentFiguresOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    division = serializers.CharField()
    figures = FiguresOut()
    items = ItemFiguresOut(many=True)


class StatisticsOut(serializers.Serializer):
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    departments = DepartmentFiguresOut(many=True)


class DepartmentStatisticsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="本部门统计：部门负责人另含下级区划的同类部门",
        parameters=[
            OpenApiParameter(
                "period",
                str,
                description="月份 2026-11、季度 2026Q4、年度 2026 或日期范围 2026-01-01..2026-03-31；默认本月",
            ),
            OpenApiParameter("department", str, description="只看其中一个部门（部门代码）"),
        ],
        responses={200: StatisticsOut},
    )
    def get(self, request):
        departments = selectors.departments_for(request.user)
        if not departments:
            raise NotFound("没有可查看的部门统计。")
        period = parse_period(request.query_params.get("period"), timezone.localdate())
        if code := request.query_params.get("department"):
            departments = [d for d in departments if d.code == code]
            if not departments:
                raise NotFound("未找到该部门。")
        found = selectors.department_figures(departments, period)
        return Response(
            {
                "period": period.key,
                "start": period.start,
                "end": period.end,
                "departments": [
                    {
                        "code": d.code,
                        "name": d.name,
                        "division": d.division.name,
                        "figures": _figures(f),
                        "items": [
                            {"code": item.code, "name": item.label, "figures": _figures(g)}
                            for item, g in found["items"].get(d.pk, [])
                        ],
                    }
                    for d, f in found["departments"]
                ],
            }
        )
