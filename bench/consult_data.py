"""The consultation data of a region's busy year (issue 22's benchmark): 100,000 public FAQ
across the catalogue and 50,000 questions waiting for an answer, written as the app
writes them — FAQ with their search terms from the app's own `index_terms` (the
database generates the vector), questions with their deadline planned by the app's own
`lights.plan` rules (yellow day by the consultation rule, same calendar) and their first
thread entry. Deterministic for a seed."""

from __future__ import annotations

import random
import secrets
import time
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

FAQS = 100_000
OPEN_QUESTIONS = 50_000

SUBJECTS = (
    "个体工商户", "小微企业", "农民专业合作社", "外地来宁人员", "网店店主", "餐饮店", "小吃店",
    "便利店", "药店", "养殖户", "建筑企业", "运输公司", "退役军人", "高校毕业生", "外资企业",
    "民办学校", "社会组织", "旅行社", "物业公司", "家庭农场",
)  # fmt: skip
ASKS = (
    "怎么办理", "需要哪些材料", "多长时间能办好", "收费吗", "可以网上办吗", "到期了怎么延续",
    "丢失了怎么补办", "信息变更怎么办", "能否委托他人办理", "办理地点在哪里",
    "不予许可怎么办", "需要现场核查吗", "能加急吗", "要本人到场吗", "分支机构要单独办吗",
)  # fmt: skip
SENTENCES = (
    "申请人可通过本平台在线提交申请，也可到政务服务中心{window}窗口办理。",
    "需提交{material}等材料，材料齐全、符合法定形式的当场受理。",
    "承诺办理时限为{days}个工作日，自受理之日起计算，不含听证、检验、检测时间。",
    "本事项不收费。",
    "委托他人办理的，应提交授权委托书和受托人身份证件。",
    "许可证件有效期届满需要延续的，应在届满30日前提出申请。",
    "证件遗失的，可凭书面说明申请补领，补领不改变有效期。",
    "登记事项发生变化的，应在变化后20日内申请变更。",
    "对不予许可决定不服的，可依法申请行政复议或者提起行政诉讼。",
    "现场核查由审批部门在受理后安排，核查前会电话通知申请人。",
    "营业执照可通过电子证照库调取，无需另行提交复印件。",
    "详情可拨打12345政务服务热线咨询。",
)  # fmt: skip


def _short(name: str) -> str:
    for tail in ("核发", "审批", "许可证核发", "登记", "备案", "核准"):
        if name.endswith(tail) and len(name) > len(tail) + 2:
            return name[: -len(tail)]
    return name


def _catalogue():
    from shenpi.catalog.models import Item

    items = []
    for item in Item.objects.filter(
        abolished_at__isnull=True, current__isnull=False
    ).select_related("current", "department"):
        version = item.current
        materials = list(version.materials.values_list("name", flat=True)) or ["申请书"]
        items.append((item, version, materials))
    return items


def generate_consultation(
    *, faqs: int = FAQS, questions: int = OPEN_QUESTIONS, seed: int = 11, log=print
) -> dict:
    """Add `faqs` published FAQ and `questions` open questions (nothing if there are
    already that many)."""
    from shenpi.accounts.constants import Role
    from shenpi.accounts.models import RoleAssignment
    from shenpi.consult.models import Faq, Question

    started = time.perf_counter()
    have_faqs = Faq.objects.filter(title__startswith="【样本】").count()
    have_questions = Question.objects.filter(title__startswith="【样本】").count()
    rng = random.Random(seed)
    items = _catalogue()
    staff: dict = {}
    for department_id, user_id in RoleAssignment.objects.filter(
        role__in=[Role.OFFICIAL, Role.HEAD], user__office__isnull=False
    ).values_list("user__office__department_id", "user_id"):
        staff.setdefault(department_id, []).append(user_id)
    items = [entry for entry in items if staff.get(entry[0].department_id)]
    made_faqs = _faqs(rng, items, staff, max(0, faqs - have_faqs))
    made_questions = _questions(rng, items, max(0, questions - have_questions), have_questions)
    seconds = round(time.perf_counter() - started, 1)
    log(f"  consultation: {made_faqs:,} FAQ, {made_questions:,} open questions in {seconds} s")
    return {"faqs": made_faqs, "questions": made_questions, "seconds": seconds}


def _faqs(rng, items, staff, count: int) -> int:
    from shenpi.common.richtext import safe_html
    from shenpi.consult.constants import FaqStatus
    from shenpi.consult.models import Faq
    from shenpi.search.terms import index_terms

    now = timezone.now()
    batch, made = [], 0
    for n in range(count):
        item, version, materials = items[n % len(items)]
        title = f"【样本】{rng.choice(SUBJECTS)}{_short(version.name)}{rng.choice(ASKS)}"[:80]
        text = "".join(
            s.format(
                window=f"A{rng.randrange(1, 30):02d}",
                material="、".join(rng.sample(materials, min(2, len(materials)))),
                days=version.promised_days,
            )
            for s in rng.sample(SENTENCES, 3)
        )
        author = staff[item.department_id]
        batch.append(
            Faq(
                department_id=item.department_id,
                item=item,
                version=version,
                title=title,
                answer=safe_html(text),
                status=FaqStatus.PUBLISHED,
                proposed_by_id=author[0],
                proposed_at=now - timedelta(days=rng.randrange(1, 700)),
                approved_by_id=author[-1],
                published_at=now - timedelta(days=rng.randrange(0, 700)),
                title_terms=index_terms(whole=title),
                body_terms=index_terms(text),
            )
        )
        if len(batch) == 2000:
            made += _write(Faq, batch)
    return made + _write(Faq, batch)


def _write(model, batch) -> int:
    with transaction.atomic():
        model.objects.bulk_create(batch, batch_size=2000)
    n = len(batch)
    batch.clear()
    return n


def _questions(rng, items, count: int, offset: int) -> int:
    """Open questions asked over the last four working days, due by their
    department's term; planned as the app plans them (lights.plan's yellow day and stamp)."""
    from shenpi.consult import lights
    from shenpi.consult.constants import EntryKind
    from shenpi.consult.models import Entry, Question
    from shenpi.consult.services import answer_due
    from shenpi.supervision.models import RuleKind
    from shenpi.supervision.scan import active_rules, thresholds
    from shenpi.workdays.services import calendar

    today = timezone.localdate()
    cal = calendar(today)
    # Asked over the last four working days (answers take three): most are green or
    # yellow today, the oldest red, as a busy region's backlog is.
    days = [today - timedelta(days=k) for k in range(0, 14)]
    days = [day for day in days if cal.is_working(day)][:4]
    rules = active_rules(RuleKind.CONSULTATION)
    stamp = lights.rules_stamp(rules)
    dues: dict = {}
    yellows: dict = {}
    made, questions, entries = 0, [], []
    tz = timezone.get_current_timezone()
    for n in range(count):
        item, version, _materials = items[rng.randrange(len(items))]
        day = rng.choice(days)
        key = (item.department_id, day)
        if key not in dues:
            dues[key] = answer_due(item.department, day)
        due = dues[key]
        left, ratio = thresholds(rules, item.pk)
        ykey = (day, due, left, ratio)
        if ykey not in yellows:
            yellows[ykey] = lights.yellow_day(calendar(day), day, due, left, ratio)
        asked = datetime(day.year, day.month, day.day, 9, tzinfo=tz) + timedelta(
            minutes=rng.randrange(0, 480)
        )
        title = f"【样本】{rng.choice(SUBJECTS)}{_short(version.name)}{rng.choice(ASKS)}"[:80]
        question = Question(
            number=f"ZX{day:%Y%m%d}9{offset + n:06d}",
            query_password=secrets.token_hex(4).upper(),
            title=title,
            item=item,
            version=version,
            department_id=item.department_id,
            asked_at=asked,
            due_date=due,
            term_start=day,
            yellow_on=yellows[ykey],
            planned_with=stamp,
        )
        questions.append(question)
        entries.append(
            Entry(question=question, kind=EntryKind.QUESTION, text=f"{title}？请告知。", at=asked)
        )
        if len(questions) == 2000:
            with transaction.atomic():
                Question.objects.bulk_create(questions)
                Entry.objects.bulk_create(entries)
            made += len(questions)
            questions, entries = [], []
    if questions:
        with transaction.atomic():
            Question.objects.bulk_create(questions)
            Entry.objects.bulk_create(entries)
        made += len(questions)
    return made
