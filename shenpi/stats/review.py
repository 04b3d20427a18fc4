"""质量管理评审: the monthly management review of a division (its departments and those
of the divisions below), as ISO 9001 §9.3 asks of a quality system — what was done, how
well, where it got stuck, what supervision found and did, what the public said, how the
departments ranked, and what changed since the month before. Generated as a PDF on the
first working day of each month for the month before (`reviews_due`), stored, listed for
supervisors and leaders, announced to them; a supervisor may generate any past month
again."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone

from shenpi.accounts.constants import Role
from shenpi.accounts.models import Department, Division, User
from shenpi.accounts.scope import Scope, scope_for
from shenpi.audit.services import audit_record
from shenpi.core import clock
from shenpi.core.errors import InvalidInput, NotFound
from shenpi.notify.services import notify_many
from shenpi.supervision.evaluation import evaluate_in
from shenpi.supervision.models import Complaint, Finding, Rating, SupervisionOrder, Warning
from shenpi.workdays.services import calendar

from .models import ManagementReview
from .periods import Period, month, shift_month
from .selectors import Figures, department_figures, stuck_steps


def division_departments(division: Division) -> list[Department]:
    return list(
        Department.objects.filter(division__path__startswith=division.path, is_active=True)
        .select_related("division")
        .order_by("division__path", "code")
    )


@dataclass
class MonthData:
    period: Period
    figures: Figures
    stuck: list
    warnings: dict
    orders: dict
    complaints: dict
    ratings: dict
    findings: dict


def month_data(departments, first: date) -> MonthData:
    period = month(first.year, first.month)
    total = Figures()
    for _d, f in department_figures(departments, period)["departments"]:
        total.merge(f)
    stuck = [
        {**row, "department": department}
        for department in departments
        for row in stuck_steps(department, period)
    ]
    stuck.sort(key=lambda r: (-(r["p90"] or 0), -r["done"]))
    in_scope = Q(department__in=departments)
    warnings = Warning.objects.filter(in_scope)
    orders = SupervisionOrder.objects.filter(in_scope)
    complaints = Complaint.objects.filter(in_scope)
    ratings = Rating.objects.filter(case__department__in=departments).filter(
        period.within("rated_at")
    )
    findings = Finding.objects.filter(in_scope).filter(period.within("recorded_at"))
    return MonthData(
        period=period,
        figures=total,
        stuck=stuck[:5],
        warnings={
            "red": warnings.filter(period.within("raised_at"), level="red").count(),
            "yellow": warnings.filter(period.within("raised_at"), level="yellow").count(),
            "cleared": warnings.filter(period.within("cleared_at")).count(),
        },
        orders={
            "issued": orders.filter(period.within("issued_at")).count(),
            "answered": orders.filter(period.within("answered_at")).count(),
            "open": orders.filter(
                issued_at__date__lte=period.end, answered_at__isnull=True
            ).count(),
        },
        complaints={
            "filed": complaints.filter(period.within("filed_at")).count(),
            "replied": complaints.filter(period.within("replied_at")).count(),
        },
        ratings={
            **ratings.aggregate(n=Count("pk"), average=Avg("overall")),
            "bad": ratings.filter(overall__lte=2).count(),
        },
        findings={
            "correction": findings.filter(kind="correction").count(),
            "responsibility": findings.filter(kind="responsibility").count(),
        },
    )


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


def _change(now, before) -> str:
    if now is None or before is None:
        return "—"
    delta = now - before
    if isinstance(delta, float):
        delta = round(delta, 1)
    return f"+{delta}" if delta > 0 else str(delta)


def review_pdf(division: Division, data: MonthData, before: MonthData, ranking) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from shenpi.cases.documents import pdf_font

    font = pdf_font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    width, height = A4
    title = f"{division.name}政务服务质量管理评审报告（{data.period.label}）"
    pdf.setTitle(title)
    y = height - 60

    def line(text: str, size: float = 10, x: float = 50, gap: float = 16) -> None:
        nonlocal y
        if y < 60:
            pdf.showPage()
            y = height - 60
        pdf.setFont(font, size)
        pdf.drawString(x, y, text)
        y -= gap

    def heading(text: str) -> None:
        nonlocal y
        y -= 6
        line(text, 13, gap=20)

    pdf.setFont(font, 16)
    pdf.drawCentredString(width / 2, y, title)
    y -= 24
    line(
        f"生成时间：{timezone.localtime():%Y-%m-%d %H:%M}；范围：{division.name}及下级区划各部门。",
        9,
    )
    f, p = data.figures, before.figures

    heading("一、办件量")
    for label, now, then in (
        ("收件", f.counts["received"], p.counts["received"]),
        ("受理", f.counts["accepted"], p.counts["accepted"]),
        ("不予受理", f.counts["not_accepted"], p.counts["not_accepted"]),
        ("准予许可", f.counts["granted"], p.counts["granted"]),
        ("不予许可", f.counts["refused"], p.counts["refused"]),
        ("撤回", f.counts["withdrawn"], p.counts["withdrawn"]),
    ):
        line(f"{label}：{now} 件（上月 {then}，变化 {_change(now, then)}）")

    heading("二、办理时效")
    line(
        f"承诺期限内办结率 {_pct(f.on_time_promised)}（上月 {_pct(p.on_time_promised)}）；"
        f"法定期限内办结率 {_pct(f.on_time_statutory)}（上月 {_pct(p.on_time_statutory)}）。"
    )
    line(
        f"受理至决定平均 {f.average_days if f.average_days is not None else '—'} 个工作日，"
        f"90% 在 {f.p90_days if f.p90_days is not None else '—'} 个工作日内"
        "（特别程序所需时间不计入，《行政许可法》第四十五条）。"
    )
    line(
        f"一次性告知补正 {f.counts['correction']} 件，特别程序 {f.counts['suspended']} 件，延期 {f.counts['extended']} 件。"
    )

    heading("三、卡在哪里（用时最长的环节）")
    if not data.stuck:
        line("本月没有办完的环节。")
    for r in data.stuck:
        share = "—" if r["share"] is None else f"{r['share']}%"
        line(
            f"{r['department'].name} · {r['item_label'][:18]} · {r['step_name']}：办完 {r['done']} 件，"
            f"中位 {r['median']}、90% {r['p90']} 个工作日，占办件用时 {share}",
            9,
        )

    heading("四、电子监察")
    w, wb = data.warnings, before.warnings
    line(
        f"红牌 {w['red']} 张（上月 {wb['red']}），黄牌 {w['yellow']} 张（上月 {wb['yellow']}），解除 {w['cleared']} 张。"
    )
    o = data.orders
    line(f"督办：发出 {o['issued']} 件，答复 {o['answered']} 件，月末仍待答复 {o['open']} 件。")
    fd = data.findings
    line(f"纠错 {fd['correction']} 件，责任认定 {fd['responsibility']} 件。")

    heading("五、投诉与评价")
    c, r = data.complaints, data.ratings
    line(
        f"投诉：收到 {c['filed']} 件（上月 {before.complaints['filed']}），答复 {c['replied']} 件。"
    )
    average = "—" if r["average"] is None else f"{r['average']:.2f}"
    line(f"好差评：{r['n']} 条，平均 {average} 分（5 分制），差评 {r['bad']} 条。")

    heading("六、绩效评估排名")
    results, idle = ranking
    if not results:
        line("本月没有可评估的部门。")
    for result in results[:10]:
        line(f"第 {result.rank} 名  {result.unit}  {result.total:.2f} 分  {result.grade}", 9)
    if idle:
        line("无办理活动、不参与排名：" + "、".join(idle)[:60], 9)

    heading("七、与上月相比")
    line(
        f"收件 {_change(f.counts['received'], p.counts['received'])}，"
        f"办结 {_change(f.decided, p.decided)}，"
        f"承诺期限内办结率 {_change(f.on_time_promised, p.on_time_promised)} 个百分点，"
        f"红牌 {_change(w['red'], wb['red'])}，投诉 {_change(c['filed'], before.complaints['filed'])}。"
    )
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def may_regenerate(user, division: Division) -> bool:
    return user.has_role(Role.SUPERVISOR) and scope_for(user).sees_division(division)


def reviews_visible_to(user):
    """Supervisors: the reviews of the divisions they oversee; leaders: their division's
    and those below."""
    qs = ManagementReview.objects.select_related("division")
    if getattr(user, "is_system_client", False):
        return qs.none()
    match = Q(pk__in=[])
    if user.has_role(Role.SUPERVISOR):
        scope = scope_for(user)
        if scope.everything:
            return qs
        for path in scope.subtree_paths:
            match |= Q(division__path__startswith=path)
    if user.has_role(Role.LEADER) and user.division is not None:
        match |= Q(division__path__startswith=user.division.path)
    return qs.filter(match)


@transaction.atomic
def review_generate(*, division: Division, first: date, actor=None) -> ManagementReview:
    """The review of `division` for the month beginning `first` (a past month), made or
    made again; by the scheduler (`actor` None) or a supervisor over the division."""
    if actor is not None and not may_regenerate(actor, division):
        raise NotFound("未找到该区划。")
    today = timezone.localdate()
    if first.day != 1 or first >= date(today.year, today.month, 1):
        raise InvalidInput(
            "只能生成已经结束的月份的评审报告。", errors={"month": ["须为以往月份。"]}
        )
    departments = division_departments(division)
    data = month_data(departments, first)
    before = month_data(departments, shift_month(first, -1))
    start, end, results, idle = evaluate_in(
        Scope(everything=False, department_ids=frozenset(), subtree_paths=(division.path,)),
        "month",
        f"{first:%Y-%m}",
    )
    body = review_pdf(division, data, before, (results, idle))
    review, _ = ManagementReview.objects.select_for_update().get_or_create(
        division=division, month=first, defaults={"generated_at": timezone.now()}
    )
    if review.file:
        review.file.delete(save=False)
    review.file.save(f"review-{division.code}-{first:%Y%m}.pdf", ContentFile(body), save=False)
    review.generated_at, review.generated_by, review.size = timezone.now(), actor, len(body)
    review.save()
    audit_record(
        stream=f"review:{division.code}",
        action="review.generate",
        actor=actor,
        object_type="management_review",
        object_id=str(review.pk),
        detail={"division": division.code, "month": f"{first:%Y-%m}"},
        actor_label="" if actor else "system",
        division=division.code,
    )
    return review


def reviews_due(today: date | None = None) -> int:
    """On or after the first working day of a month, last month's review of every
    division with a supervisor or a leader, once; each announced to them."""
    today = today or timezone.localdate()
    this_month = date(today.year, today.month, 1)
    # The first working day of the month: one working day counted from the day before.
    if today < clock.add_working_days(calendar(), this_month - timedelta(days=1), 1):
        return 0
    first, made = shift_month(this_month, -1), 0
    readers = User.objects.filter(
        role_assignments__role__in=[Role.SUPERVISOR, Role.LEADER], is_active=True
    ).select_related("division")
    divisions = Division.objects.filter(
        pk__in=readers.exclude(division__isnull=True).values("division")
    )
    for division in divisions:
        if ManagementReview.objects.filter(division=division, month=first).exists():
            continue
        review = review_generate(division=division, first=first)
        made += 1
        notify_many(
            (
                user,
                f"质量管理评审报告（{first.year}年{first.month}月）",
                f"{division.name}{first.year}年{first.month}月的质量管理评审报告已生成，"
                f"请在“质量管理评审”中查阅。",
                None,
            )
            for user in readers.distinct()
            if reviews_visible_to(user).filter(pk=review.pk).exists()
        )
    return made
