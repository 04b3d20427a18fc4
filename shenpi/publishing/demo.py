"""A few published policies, regulations, notices and news for the demo world."""

from django.db import transaction

from shenpi.accounts.models import User

from . import services
from .models import Publication

PIECES = [
    (
        "nx_fzb",
        "regulation",
        "中华人民共和国行政许可法",
        "中华人民共和国主席令第二十九号",
        "2003年8月27日第十届全国人民代表大会常务委员会第四次会议通过，根据2019年4月23日第十三届全国人民代表大会"
        "常务委员会第十次会议《关于修改〈中华人民共和国建筑法〉等八部法律的决定》修正。\n\n"
        "第三十条 行政机关应当将法律、法规、规章规定的有关行政许可的事项、依据、条件、数量、程序、期限以及需要提交的"
        "全部材料的目录和申请书示范文本等在办公场所公示。\n\n"
        "第三十二条 …申请材料不齐全或者不符合法定形式的，应当当场或者在五日内一次告知申请人需要补正的全部内容，"
        "逾期不告知的，自收到申请材料之日起即为受理；…\n\n"
        "第四十二条 除可以当场作出行政许可决定的外，行政机关应当自受理行政许可申请之日起二十日内作出行政许可决定。…",
    ),
    (
        "nx_zwfw",
        "notice",
        "关于2026年部分节假日期间政务服务中心窗口安排的通知",
        "宁政服发〔2025〕18号",
        "根据《国务院办公厅关于2026年部分节假日安排的通知》，春节自2月15日至23日放假调休，共9天；2月14日（星期六）、"
        "2月28日（星期六）上班。放假期间网上审批平台正常受理申请，法定节假日不计入办理时限（《行政许可法》第八十二条）。",
    ),
    (
        "nx_zwfw",
        "news",
        "自治区政务服务中心推行“一件事一次办”",
        "",
        "自治区政务服务中心近日推出“开办餐馆”一件事一次办：申请人填一张表、材料只交一次，"
        "个体工商户设立登记和食品经营许可由两个部门同时办理，补正要求合并一次告知。"
        "在“办事指南”页面的“一件事一次办”中即可申请。",
    ),
    (
        "yc_scjg",
        "policy",
        "银川市优化营商环境食品经营许可便利化措施",
        "银市监发〔2026〕5号",
        "一、食品经营许可实行告知承诺和容缺受理；二、承诺办理时限由15个工作日压缩至10个工作日；"
        "三、申请材料可通过电子证照库调取的，申请人不再提交。",
    ),
]


@transaction.atomic
def seed_demo_publications() -> int:
    created = 0
    for prefix, kind, title, number, body in PIECES:
        if Publication.objects.filter(title=title).exists():
            continue
        author = User.objects.filter(username__in=[f"{prefix}_off1", f"{prefix}_legal"]).first()
        head = User.objects.get(username=f"{prefix}_head")
        if author is None:
            author = head
            head = None
        p = services.publication_draft(
            actor=author, kind=kind, title=title, body=body, document_number=number
        )
        services.publication_submit(actor=author, publication=p)
        if head is not None:
            services.publication_review(actor=head, publication=p, approve=True)
        created += 1
    return created
