"""Demo questions: one waiting for the market regulator's answer, one answered and made a
public FAQ on the food business licence's guide (so that 我要问 offers it while typing),
and a general one waiting at the region's service centre for a clerk to route it."""

from django.db import transaction

from shenpi.accounts.models import User
from shenpi.catalog.models import Item

from . import services
from .models import Question


@transaction.atomic
def seed_demo_questions() -> int:
    if Question.objects.exists():
        return 0
    item = Item.objects.filter(code="640100-SCJG-001").first()
    if item is None or item.current is None:
        return 0
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["zhangsan", "lisi", "yc_scjg_off1", "yc_scjg_head"]
        )
    }
    if len(people) < 4:
        return 0
    services.question_ask(
        actor=people["lisi"],
        title="网店卖自制糕点要办食品经营许可吗",
        body="我在家做糕点，通过网店销售，是否需要办理食品经营许可证？",
        item=item,
    )
    answered = services.question_ask(
        actor=people["zhangsan"],
        title="开小吃店要办什么证",
        body="我想在兴庆区开一家小吃店，需要办理哪些许可？",
        item=item,
    )
    services.question_answer(
        actor=people["yc_scjg_off1"],
        question=answered,
        text="需要办理食品经营许可证，申请材料和流程见本事项办事指南；仅销售预包装食品的，办理备案即可。",
    )
    faq = services.faq_propose(
        actor=people["yc_scjg_off1"],
        question=answered,
        title="开小吃店要办食品经营许可证吗",
        answer="需要。申请材料和流程见本事项办事指南；仅销售预包装食品的，办理备案即可。",
    )
    services.faq_review(actor=people["yc_scjg_head"], faq=faq, publish=True)
    services.question_ask(
        actor=people["lisi"],
        title="想开一家公司，应该先找哪个部门",
        body="不清楚开公司要先办什么、去哪个部门，请指导。",
        general=True,
    )
    return 3
