from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    """CONTRACTS.md "Case states"."""

    DRAFT = "draft", _("草稿")
    RECEIVED = "received", _("已收件，待预审")
    CORRECTION_REQUESTED = "correction_requested", _("待补正")
    PROCESSING = "processing", _("已受理，办理中")
    SUSPENDED = "suspended", _("特别程序（暂停计时）")
    DECIDED = "decided", _("已决定，待送达")
    CLOSED = "closed", _("已办结")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")
    TERMINATED = "terminated", _("已终止")


TERMINAL = (CaseStatus.CLOSED, CaseStatus.NOT_ACCEPTED, CaseStatus.WITHDRAWN, CaseStatus.TERMINATED)
# A renewal applied for and not yet decided (RNW-02, Art. 50 ¶2): its licence does not
# lapse; past the expiry date it is deemed renewed (shenpi.core.transitions).
RENEWAL_PENDING = (CaseStatus.RECEIVED, CaseStatus.PROCESSING, CaseStatus.SUSPENDED)
CORRECTION_DAYS = 5  # RCV-04, Art. 32(4): working days for the one-time correction notice
LICENCE_DAYS = 10  # TL-04, Art. 44: working days to issue the licence after a grant


class CaseKind(models.TextChoices):
    NEW = "new", _("新办")
    CHANGE = "change", _("变更")
    RENEWAL = "renewal", _("延续")


class Channel(models.TextChoices):
    ONLINE = "online", _("网上申请")
    WINDOW = "window", _("窗口收件")
    AGENT = "agent", _("全程代理")
    API = "api", _("系统接入")
    LOWER = "lower", _("下级平台自办")


class Outcome(models.TextChoices):
    NONE = "", _("—")
    GRANTED = "granted", _("准予许可")
    REFUSED = "refused", _("不予许可")


class NotAcceptedReason(models.TextChoices):
    """RCV-01/02 (Art. 32(1)(2)), SAN-01 (Art. 78), and other lawful reasons."""

    NOT_REQUIRED = "not_required", _("申请事项依法不需要取得行政许可（第三十二条第一项）")
    NOT_COMPETENT = "not_competent", _("申请事项不属于本机关职权范围（第三十二条第二项）")
    FALSE_MATERIALS = "false_materials", _("隐瞒有关情况或者提供虚假材料（第七十八条）")
    BARRED = "barred", _("申请人在禁止申请期限内（第七十八条、第七十九条）")
    OTHER = "other", _("其他依法不予受理的情形")


class NoticeKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("受理通知书")
    NON_ACCEPTANCE = "non_acceptance", _("不予受理决定书")
    CORRECTION = "correction", _("补正材料通知书")
    LENIENT = "lenient", _("容缺受理通知书")
    SUSPENSION = "suspension", _("特别程序告知书")
    EXTENSION = "extension", _("延长审查期限告知书")
    GRANT = "grant", _("准予行政许可决定书")
    REFUSAL = "refusal", _("不予行政许可决定书")


class DeliveryMethod(models.TextChoices):
    WINDOW = "window", _("窗口领取")
    POST = "post", _("邮寄")
    ONLINE = "online", _("网上下载")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("待办")
    CLAIMED = "claimed", _("办理中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class LicenceStatus(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已撤销")
    CANCELLED = "cancelled", _("已注销")


# Upload types for case materials: documents and scans.
MATERIAL_FILE_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


class ExtensionRequestStatus(models.TextChoices):
    PENDING = "pending", _("待批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")


class SuspensionReason(models.TextChoices):
    """TL-05 (Art. 45): exactly these eight; nothing else stops the clock."""

    HEARING = "hearing", _("听证")
    TENDERING = "tendering", _("招标")
    AUCTION = "auction", _("拍卖")
    TESTING = "testing", _("检验")
    INSPECTION = "inspection", _("检测")
    QUARANTINE = "quarantine", _("检疫")
    APPRAISAL = "appraisal", _("鉴定")
    EXPERT_REVIEW = "expert_review", _("专家评审")


class AuthorisationScope(models.TextChoices):
    """What a 委托书 covers: named items, or every item of one investment project."""

    ITEMS = "items", _("指定事项")
    PROJECT = "project", _("整个投资项目")


class AuthorisationMethod(models.TextChoices):
    ONLINE = "online", _("网上签署")
    WINDOW = "window", _("窗口扫描")


class BundleDelivery(models.TextChoices):
    """一件事一次办: the applicant's choice of how the results reach them."""

    TOGETHER = "together", _("全部办结后一并送达")
    EACH = "each", _("办结一项送达一项")


class PostCheckStatus(models.TextChoices):
    OPEN = "open", _("待核查")
    PASSED = "passed", _("核查属实")
    FAILED = "failed", _("承诺不实")


# The session key under which the hall's window page hands the walk-in intake the called
# ticket's applicant and booked item ({"ticket": label, "applicant": user pk, "item": code}).
WINDOW_PREFILL = "window_prefill"
