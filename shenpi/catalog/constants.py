from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    INSTANT = "instant", _("即办件")
    TIME_LIMITED = "time_limited", _("承诺件")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("待法制审核")
    RETURNED = "returned", _("已退回")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被替代")
    ABOLISHED = "abolished", _("已废止")


EDITABLE = (VersionStatus.DRAFT, VersionStatus.RETURNED)


class HandlingMode(models.TextChoices):
    SINGLE = "single", _("单一部门办理")
    UNIFIED = "unified", _("统一办理")
    JOINT = "joint", _("联合办理")
    CENTRALISED = "centralised", _("集中办理")


class Audience(models.TextChoices):
    PERSONAL = "personal", _("个人办事")
    ENTERPRISE = "enterprise", _("法人办事")
    BOTH = "both", _("个人和法人")


class LicenceType(models.TextChoices):
    """DEC-03 (Art. 39): the kinds of licence documents."""

    NONE = "", _("不发证")
    LICENCE = "licence", _("许可证、执照或者其他许可证书")
    QUALIFICATION = "qualification", _("资格证、资质证或者其他合格证书")
    APPROVAL = "approval", _("行政机关的批准文件或者证明文件")
    OTHER = "other", _("法律、法规规定的其他行政许可证件")


class Copies(models.TextChoices):
    ORIGINAL = "original", _("原件")
    COPY = "copy", _("复印件")
    BOTH = "both", _("原件和复印件")


class Medium(models.TextChoices):
    ELECTRONIC = "electronic", _("电子")
    PAPER = "paper", _("纸质")
    BOTH = "both", _("纸质和电子")


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("申请人自备")
    LIBRARY = "library", _("可由证照库调取")


class FormFileKind(models.TextChoices):
    TEMPLATE = "template", _("空白表格")
    SAMPLE = "sample", _("示范文本")


class FieldType(models.TextChoices):
    TEXT = "text", _("单行文本")
    TEXTAREA = "textarea", _("多行文本")
    NUMBER = "number", _("数字")
    DATE = "date", _("日期")
    CHOICE = "choice", _("单选")
    BOOLEAN = "boolean", _("是/否")


class ThemeGroup(models.TextChoices):
    PERSONAL = "personal", _("个人主题")
    ENTERPRISE = "enterprise", _("法人主题")
    LIFE_EVENT = "life_event", _("一件事")


# File types a form template may have (content sniffed, not trusted from the name).
FORM_FILE_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
FORM_FILE_MAX_BYTES = 10 * 1024 * 1024
