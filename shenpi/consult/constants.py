"""Consultation (在线答疑 / 政策法规咨询): states, ratings and the working-day terms."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Working days a department has to answer, unless it set its own (AnswerTerm).
ANSWER_DAYS = 3
# Working days a department's head has to look at an answer rated 不满意.
HEAD_REVIEW_DAYS = 5
TITLE_MAX = 80
# A general question (no item, policy or department chosen) goes to the service centre
# of this kind, whose clerks route it to the department that answers.
CENTRE_KIND = "service_centre"
GENERAL = "general"  # the "department" a form or the API names for it
BODY_MAX = 2000


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    CLAIMED = "claimed", _("答复中")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


OPEN_STATUSES = (QuestionStatus.OPEN, QuestionStatus.CLAIMED)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    FAIR = "fair", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class EntryKind(models.TextChoices):
    QUESTION = "question", _("提问")
    ANSWER = "answer", _("答复")
    DETAILS = "details", _("请补充说明")
    FOLLOW_UP = "follow_up", _("追问")
    TRANSFER = "transfer", _("转办")
    ROUTE = "route", _("分派")


class FaqStatus(models.TextChoices):
    PROPOSED = "proposed", _("待负责人审核")
    PUBLISHED = "published", _("已公开")
    WITHDRAWN = "withdrawn", _("已撤回")
