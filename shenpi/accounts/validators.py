"""Identity numbers (LAW.md §4, through python-stdnum) and password strength."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# GB/T 2260 province-level codes (LAW.md §4.1 rule 5).
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)


def normalize_id_number(value: str) -> str:
    return ric.compact(value or "")


def validate_id_number(value: str) -> str:
    """Resident identity number, GB 11643-1999 (LAW.md §4.1). Returns the compact form."""
    number = normalize_id_number(value)
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError(
            _("身份证号码应为18位，前17位为数字，最后一位为数字或X。"), code="id_format"
        )
    # Check character, ISO 7064 MOD 11-2 (LAW.md §4.1 rule 3).
    if ric.calc_check_digit(number) != number[-1]:
        raise ValidationError(_("身份证号码校验位不正确，请核对后重新输入。"), code="id_checksum")
    try:
        born = ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="id_birth_date") from None
    # LAW.md §4.1 caveat: IDs keep abolished address codes, so the 6-digit address
    # is not checked against today's GB/T 2260 list (stdnum's validate() would).
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(_("身份证号码前两位不是有效的省级行政区划代码。"), code="id_province")
    # LAW.md §4.1 rule 4: the birth date must not be in the future.
    if born > timezone.localdate():
        raise ValidationError(_("身份证号码中的出生日期晚于今天。"), code="id_birth_date")
    return number


def validate_credit_code(value: str) -> str:
    """Unified social credit code, GB 32100-2015 (LAW.md §4.2). Returns the compact form."""
    code = uscc.compact(value or "")
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位。"), code="uscc_length")
    try:
        uscc.validate(code)
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _("统一社会信用代码校验位不正确，请核对后重新输入。"), code="uscc_checksum"
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("统一社会信用代码格式不正确（只含数字和除 I、O、Z、S、V 以外的大写字母）。"),
            code="uscc_format",
        ) from None
    return code


def validate_mobile(value: str) -> str:
    number = re.sub(r"[\s-]", "", value or "")
    if number.startswith("+86"):
        number = number[3:]
    if not MOBILE_RE.fullmatch(number):
        raise ValidationError(_("请输入11位中国大陆手机号码。"), code="mobile")
    return number


def birth_date(id_number: str) -> date:
    return ric.get_birth_date(id_number)


class CharacterClassValidator:
    """等保 level 3: a password mixes at least three of upper, lower, digit and symbol."""

    def validate(self, password, user=None):
        classes = sum(
            bool(re.search(pattern, password))
            for pattern in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]")
        )
        if classes < 3:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少三类。"), code="password_classes"
            )

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号中的至少三类。")


def classify_applicant_code(value: str, kind: str = "") -> tuple[str, str]:
    """An applicant's code as (account type, compact code): a resident ID number for a
    person, a unified social credit code for an enterprise (LAW.md §4.1, §4.2). Without a
    stated kind the full validations decide, not the shape: a credit code may start with
    17 digits (91110000600037341L). A code that passes both (rare: 110105195001011066) is
    taken for an ID number; a caller that knows better states the kind."""
    if kind == "person":
        return "person", validate_id_number(value)
    if kind == "enterprise":
        return "enterprise", validate_credit_code(value)
    if kind:
        raise ValidationError(_("申请人类型应为 person 或 enterprise。"), code="applicant_kind")
    errors = []
    for account_type, validate in (
        ("person", validate_id_number),
        ("enterprise", validate_credit_code),
    ):
        try:
            return account_type, validate(value)
        except ValidationError as exc:
            errors.extend(exc.messages)
    raise ValidationError(
        _("不是有效的身份证号码或统一社会信用代码：%(why)s") % {"why": "；".join(errors)},
        code="applicant_code",
    )
