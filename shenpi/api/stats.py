"""/api/v1 for 本部门统计: the same figures, for the same departments, as the page
(stats.selectors), in numbers rather than text."""

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.catalog.models import Item
from shenpi.catalog.services import item_confirm_guide
from shenpi.core.errors import NotFound
from shenpi.stats import currency, decision, review, selectors
from shenpi.stats.periods import parse_period

from .idempotency import idempotent


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
    complaints = serializers.IntegerField(help_text="收到的投诉")
    ratings = serializers.IntegerField(help_text="好差评条数（申诉成立的不计）")
    rating_average = serializers.FloatField(allow_null=True, help_text="总体评价均分（5 分制）")
    bad_ratings = serializers.IntegerField(help_text="差评（1、2 分）")


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
        summary="本部门统计：部门负责人另含下级区划的同类部门；政府负责人为本级及下级各部门",
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
        departments = selectors.departments_for(request.user) or decision.leader_departments(
            request.user
        )
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


class StuckStepOut(serializers.Serializer):
    item = serializers.CharField(source="item.code")
    item_name = serializers.CharField(source="item_label")
    step = serializers.CharField()
    step_name = serializers.CharField()
    done = serializers.IntegerField(help_text="本期间办完的件数")
    median = serializers.IntegerField(help_text="中位用时（工作日）")
    p90 = serializers.IntegerField(help_text="90% 在此工作日数内办完")
    share = serializers.FloatField(
        allow_null=True, help_text="占本期间决定件受理至决定用时的百分比"
    )


class BlockerOut(serializers.Serializer):
    holder = serializers.CharField(help_text="认领人；未认领的为“（未认领）”")
    department = serializers.CharField(source="department.code")
    co_department = serializers.BooleanField(help_text="协办部门的环节")
    step = serializers.IntegerField(help_text="超过环节期限的环节数")
    promised = serializers.IntegerField(help_text="所在办件已超承诺期限的环节数")
    statutory = serializers.IntegerField(help_text="所在办件已超法定期限的环节数")


class StuckOut(serializers.Serializer):
    period = serializers.CharField()
    department = serializers.CharField()
    steps = StuckStepOut(many=True)
    blockers = BlockerOut(many=True)


class StuckApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="卡在哪里：各环节用时（中位、90%）与占比，及当前逾期环节在谁手中",
        parameters=[
            OpenApiParameter("period", str, description="同 /statistics/departments/"),
            OpenApiParameter("department", str, description="部门代码；默认本人所在部门"),
        ],
        responses={200: StuckOut},
    )
    def get(self, request):
        departments = selectors.departments_for(request.user)
        if not departments:
            raise NotFound("没有可查看的部门统计。")
        today = timezone.localdate()
        period = parse_period(request.query_params.get("period"), today)
        code = request.query_params.get("department") or request.user.department.code
        department = next((d for d in departments if d.code == code), None)
        if department is None:
            raise NotFound("未找到该部门。")
        return Response(
            StuckOut(
                {
                    "period": period.key,
                    "department": department.code,
                    "steps": selectors.stuck_steps(department, period),
                    "blockers": selectors.blockers(department, today),
                }
            ).data
        )


class ForecastRowOut(serializers.Serializer):
    department = serializers.CharField(source="department.code")
    item = serializers.CharField(source="item.code")
    item_name = serializers.CharField(source="label")
    next_month = serializers.SerializerMethodField(help_text="[预计, 80% 下限, 80% 上限]")
    next_quarter = serializers.SerializerMethodField(help_text="[预计, 80% 下限, 80% 上限]")

    def get_next_month(self, row) -> list[float]:
        f = row.get("month")
        return [f.expected, f.low, f.high] if f else []

    def get_next_quarter(self, row) -> list[float]:
        f = row.get("quarter")
        return [f.expected, f.low, f.high] if f else []


class AccuracyOut(serializers.Serializer):
    wape = serializers.FloatField(help_text="留出最近 6 个月的加权绝对百分比误差")
    coverage = serializers.FloatField(help_text="留出月份落入 80% 区间的百分比")
    series = serializers.IntegerField()


class ForecastOut(serializers.Serializer):
    made_on = serializers.DateField(allow_null=True)
    first_month = serializers.DateField(allow_null=True)
    history_months = serializers.IntegerField(allow_null=True)
    rows = ForecastRowOut(many=True)
    accuracy = AccuracyOut(allow_null=True)


class ForecastApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="决策辅助：本级及下级各部门、各事项下月与下季度申请量预测（政府负责人）",
        responses={200: ForecastOut},
    )
    def get(self, request):
        departments = decision.leader_departments(request.user)
        if not departments:
            raise NotFound("没有可查看的预测。")
        found = decision.forecasts(departments)
        run = found["run"]
        return Response(
            ForecastOut(
                {
                    "made_on": run.made_on if run else None,
                    "first_month": run.first_month if run else None,
                    "history_months": run.history_months if run else None,
                    "rows": found["rows"],
                    "accuracy": found["accuracy"],
                }
            ).data
        )


class StaleItemOut(serializers.Serializer):
    code = serializers.CharField(source="item.code")
    name = serializers.CharField(source="item.current.name")
    reviewed = serializers.DateField(allow_null=True, help_text="上次复核日期")


class FaqToReviewOut(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    item = serializers.CharField(source="item.code")
    version = serializers.IntegerField(source="version.number", help_text="依据的版本")
    current = serializers.IntegerField(source="item.current.number", help_text="现行版本")


class FormToReviewOut(serializers.Serializer):
    id = serializers.UUIDField(source="form.id")
    title = serializers.CharField(source="form.title")
    item = serializers.CharField(source="item.code")
    uploaded_at = serializers.DateTimeField(source="form.uploaded_at")
    effective_from = serializers.DateField(source="version.effective_from")


class CurrencyCountOut(serializers.Serializer):
    department = serializers.CharField(source="department.code")
    items = serializers.IntegerField()
    faqs = serializers.IntegerField()
    forms = serializers.IntegerField()


class CurrencyOut(serializers.Serializer):
    review_months = serializers.IntegerField()
    items = StaleItemOut(many=True, required=False)
    faqs = FaqToReviewOut(many=True, required=False)
    forms = FormToReviewOut(many=True, required=False)
    counts = CurrencyCountOut(many=True, required=False, help_text="监察人员：各部门的数量")


class CurrencyApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="信息时效：本部门久未复核的指南、待复核的问答与表格；监察人员为各部门数量",
        responses={200: CurrencyOut},
    )
    def get(self, request):
        departments, detailed = currency.currency_departments(request.user)
        if not departments:
            raise NotFound("没有可查看的信息时效。")
        today = timezone.localdate()
        body = {"review_months": settings.SHENPI_GUIDE_REVIEW_MONTHS}
        if detailed:
            body |= {
                "items": currency.stale_items(departments, today),
                "faqs": currency.faqs_to_review(departments),
                "forms": currency.forms_to_review(departments),
            }
        else:
            body["counts"] = currency.counts(departments, today)
        return Response(CurrencyOut(body).data)


class GuideConfirmedOut(serializers.Serializer):
    code = serializers.CharField()
    guide_confirmed_at = serializers.DateTimeField()


class GuideConfirmApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="信息时效：确认事项的现行办事指南仍然准确（本部门工作人员）",
        request=None,
        responses={200: GuideConfirmedOut},
    )
    @idempotent
    def post(self, request, code):
        item = Item.objects.filter(code=code).first()
        if item is None:
            raise NotFound("未找到该事项。")
        item = item_confirm_guide(actor=request.user, item=item)
        return Response(GuideConfirmedOut(item).data)


class ManagementReviewOut(serializers.Serializer):
    id = serializers.IntegerField()
    division = serializers.CharField(source="division.code")
    division_name = serializers.CharField(source="division.name")
    month = serializers.DateField(help_text="月份（该月第一天）")
    generated_at = serializers.DateTimeField()
    size = serializers.IntegerField()
    file = serializers.SerializerMethodField(help_text="PDF 下载地址")

    def get_file(self, review) -> str:
        return f"/api/v1/statistics/reviews/{review.pk}/file/"


class ManagementReviewListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="质量管理评审报告（监察人员、政府负责人）：最近 100 份",
        responses={200: ManagementReviewOut(many=True)},
    )
    def get(self, request):
        rows = review.reviews_visible_to(request.user)[:100]
        return Response(ManagementReviewOut(rows, many=True).data)


class ManagementReviewFileApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="质量管理评审报告 PDF",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk):
        found = review.reviews_visible_to(request.user).filter(pk=pk).first()
        if found is None:
            raise NotFound("未找到该报告。")
        return FileResponse(
            found.file.open("rb"),
            content_type="application/pdf",
            filename=f"review-{found.division.code}-{found.month:%Y-%m}.pdf",
        )
