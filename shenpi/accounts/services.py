"""Writes on accounts: registration, tokens, second factor. Each is one
transaction with its audit record."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from shenpi.audit.services import audit_record
from shenpi.common import personal
from shenpi.common.queries import JoinedLookup
from shenpi.core.errors import Conflict, InvalidInput, TooMany

from . import codes
from .constants import AccountType
from .models import ApiToken, SystemClient, User
from .validators import (
    classify_applicant_code,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)


def user_stream(user) -> str:
    return f"user:{user.public_id}"


def _validated(errors: dict, field: str, fn, value):
    try:
        return fn(value)
    except ValidationError as exc:
        errors[field] = list(exc.messages)
        return value


def _check_password(errors: dict, password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)


def _unique_or_error(errors: dict, **lookups) -> None:
    for field, value in lookups.items():
        # The ID number is sealed: its digest is what is unique.
        lookup = (
            {"id_number_digest": personal.digest(value)}
            if field == "id_number"
            else {f"{field}__iexact": value}
        )
        if value and User.objects.filter(**lookup).exists():
            errors[field] = [DUPLICATE_MESSAGES[field]]


def walk_in_username(id_number: str) -> str:
    """The user name of a person registered for them by a window or a system: from the
    digest, so the clear ID number is not kept in a column that is not sealed."""
    return "u" + personal.digest(id_number)[:20]


DUPLICATE_MESSAGES = {
    "username": "该用户名已被使用，请换一个。",
    "id_number": "该身份证号码已注册，请直接登录或找回密码。",
    "credit_code": "该统一社会信用代码已注册，请直接登录或找回密码。",
}


@transaction.atomic
def user_register_person(
    *,
    username: str,
    password: str,
    real_name: str,
    id_number: str,
    mobile: str,
    email: str = "",
    request=None,
) -> User:
    """Register a citizen: real name, resident ID number (checked) and mobile."""
    errors: dict = {}
    id_number = _validated(errors, "id_number", validate_id_number, id_number)
    mobile = _validated(errors, "mobile", validate_mobile, mobile)
    if not real_name.strip():
        errors["real_name"] = ["请填写真实姓名。"]
    user = User(
        username=username.strip(),
        real_name=real_name.strip(),
        id_number=id_number,
        mobile=mobile,
        email=email.strip(),
        account_type=AccountType.PERSON,
    )
    return _create_applicant(user, password, errors, request, id_number=id_number)


@transaction.atomic
def user_register_enterprise(
    *,
    username: str,
    password: str,
    enterprise_name: str,
    credit_code: str,
    legal_representative: str,
    mobile: str,
    email: str = "",
    request=None,
) -> User:
    """Register an enterprise: name, unified social credit code (checked), legal representative."""
    errors: dict = {}
    credit_code = _validated(errors, "credit_code", validate_credit_code, credit_code)
    mobile = _validated(errors, "mobile", validate_mobile, mobile)
    if not enterprise_name.strip():
        errors["enterprise_name"] = ["请填写企业名称。"]
    if not legal_representative.strip():
        errors["legal_representative"] = ["请填写法定代表人姓名。"]
    user = User(
        username=username.strip(),
        enterprise_name=enterprise_name.strip(),
        credit_code=credit_code,
        legal_representative=legal_representative.strip(),
        real_name=legal_representative.strip(),
        mobile=mobile,
        email=email.strip(),
        account_type=AccountType.ENTERPRISE,
    )
    return _create_applicant(user, password, errors, request, credit_code=credit_code)


def _create_applicant(user: User, password: str, errors: dict, request, **unique) -> User:
    if not user.username:
        errors["username"] = ["请填写用户名。"]
    else:
        try:
            User.username_validator(user.username)
        except ValidationError as exc:
            errors["username"] = list(exc.messages)
    _unique_or_error(
        errors, username=user.username, **{k: v for k, v in unique.items() if k not in errors}
    )
    _check_password(errors, password, user)
    if errors:
        raise InvalidInput("注册信息有误，请按提示修改。", errors=errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Lost a race with an identical registration: the unique constraints decide.
        raise Conflict("该账户已注册，请直接登录。", code="duplicate_registration") from None
    audit_record(
        stream=user_stream(user),
        action="account.register",
        actor=user,
        request=request,
        object_type="user",
        object_id=str(user.public_id),
        detail={"account_type": user.account_type},
    )
    return user


_PERSON = JoinedLookup(User, (), "t0.id_number_digest = %s")  # sealed: by its digest
_ENTERPRISE = JoinedLookup(User, (), "t0.credit_code = %s")


def _valid_credit_code(code: str) -> bool:
    """Whether `code` passes the credit code's check too (a rare resident ID does): only
    then can an enterprise hold it, and only then is it looked up as one."""
    try:
        validate_credit_code(code)
    except ValidationError:
        return False
    return True


def applicant_named(*, code: str, name: str, mobile: str = "", kind: str = "") -> User:
    """The applicant a system client names by ID number or credit code, with name
    (CONTRACTS.md "API conventions"), found by one statement written once per process.
    Someone not yet registered comes back unsaved: `applicant_register_named` registers
    them in the submission's transaction."""
    code, name, mobile = code.strip().upper(), name.strip(), mobile.strip()
    if not name:
        raise InvalidInput("须写明申请人名称。", errors={"applicant_name": ["必填。"]})
    try:
        kind = kind.strip().lower()
        account_type, code = classify_applicant_code(code, kind)
        if (
            not kind
            and account_type == AccountType.PERSON
            and _valid_credit_code(code)
            and _ENTERPRISE.get([code])
        ):
            # Valid both ways, and an enterprise already holds it as its credit code.
            account_type = AccountType.ENTERPRISE
        if account_type == AccountType.PERSON:
            user = _PERSON.get([personal.digest(code)]) or User(
                username=walk_in_username(code),
                id_number=code,
                real_name=name,
                mobile=mobile,
                account_type=AccountType.PERSON,
            )
        else:
            user = _ENTERPRISE.get([code]) or User(
                username=f"e{code}",
                credit_code=code,
                enterprise_name=name,
                real_name=name,
                mobile=mobile,
                account_type=AccountType.ENTERPRISE,
            )
    except ValidationError as exc:
        raise InvalidInput(
            "申请人证件号码无效。", errors={"applicant_code": exc.messages}
        ) from None
    if user.pk is None:
        user.set_unusable_password()
    elif user.display_name != name and user.real_name != name:
        raise InvalidInput(
            "申请人名称与证件号码不符。",
            code="applicant_mismatch",
            errors={"applicant_name": ["与已登记的名称不符。"]},
        )
    return user


def applicant_register_named(user: User, *, actor) -> None:
    """Register, in the caller's transaction, an applicant a system named who had no
    account: audited as the submitting system's act, as a window's registration is the
    clerk's."""
    user.save()
    audit_record(
        stream=user_stream(user),
        action="account.register_by_system",
        actor=actor,
        object_type="user",
        object_id=str(user.public_id),
        detail={"account_type": user.account_type},
    )


@transaction.atomic
def applicant_register_at_window(
    *, actor: User, id_number: str, name: str, mobile: str, request=None
) -> tuple[User, bool]:
    """A walk-in applicant registered by the window's clerk (no password: they sign in
    later by resetting it). Returns the person and whether they were new; audited either
    way, as the clerk's act."""
    errors: dict = {}
    id_number = _validated(errors, "code", validate_id_number, id_number)
    mobile = _validated(errors, "mobile", validate_mobile, mobile)
    name = (name or "").strip()
    if not name:
        errors["name"] = ["请填写申请人姓名。"]
    if errors:
        raise InvalidInput("申请人信息有误，请按提示修改。", errors=errors)
    user, created = User.objects.get_or_create(
        id_number_digest=personal.digest(id_number),
        defaults={
            "id_number": id_number,
            "username": walk_in_username(id_number),
            "real_name": name[:60],
            "mobile": mobile,
            "account_type": AccountType.PERSON,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    audit_record(
        stream=user_stream(user),
        action="account.register_at_window" if created else "account.found_at_window",
        actor=actor,
        request=request,
        object_type="user",
        object_id=str(user.public_id),
    )
    return user, created


def account_unlock_request(*, username: str, request=None) -> None:
    """The owner of a locked account asks for a code: sent by SMS (and in-site message) to
    the account's own mobile, valid ten minutes. The answer is the same whether or not the
    name exists, or codes were asked too often, so the page tells no one which accounts
    there are."""
    from shenpi.notify.services import notify

    user = User.objects.filter(username=(username or "").strip(), is_active=True).first()
    if user is None or not user.mobile:
        return
    try:
        code = codes.code_issue(user, "unlock")
    except TooMany:
        return
    notify(
        user,
        title="账户解锁验证码",
        body=f"您正在解锁网上审批平台账户 {user.username}，验证码 {code}，10 分钟内有效。如非本人操作，请忽略。",
    )
    audit_record(
        stream=user_stream(user),
        action="account.unlock_code",
        request=request,
        actor_label=user.username,
        object_type="user",
        object_id=str(user.public_id),
    )


def account_unlock_confirm(*, username: str, code: str, request=None) -> User:
    """The code from the owner's mobile lifts every lock on the account (each address's,
    and the name's progressive delay)."""
    from axes.utils import reset

    from . import throttle

    user = User.objects.filter(username=(username or "").strip(), is_active=True).first()
    if user is None or not codes.code_matches(user, "unlock", code):
        raise InvalidInput("验证码不正确或已过期。", errors={"code": ["请重新获取验证码。"]})
    with transaction.atomic():
        codes.code_use(user, "unlock")
        reset(username=user.username)
        throttle.cleared(user.username)
        audit_record(
            stream=user_stream(user),
            action="account.unlock",
            actor=user,
            request=request,
            object_type="user",
            object_id=str(user.public_id),
        )
    return user


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, request=None) -> tuple[ApiToken, str]:
    """A personal token; the caller has already checked the password (and OTP)."""
    key = "sp_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=_hash_key(key),
        prefix=key[:10],
        expires_at=timezone.now() + timedelta(days=settings.SHENPI_TOKEN_DAYS),
    )
    audit_record(
        stream=user_stream(user),
        action="token.create",
        actor=user,
        request=request,
        object_type="api_token",
        object_id=str(token.pk),
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User, request=None) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(
        stream=user_stream(actor),
        action="token.revoke",
        actor=actor,
        request=request,
        object_type="api_token",
        object_id=str(token.pk),
    )


# The user with their office and department: every API view asks which department.
_TOKEN = JoinedLookup(
    ApiToken, ("user__office__department",), "t0.key_hash = %s AND t0.revoked_at IS NULL"
)


def api_token_lookup(key: str) -> ApiToken | None:
    token = _TOKEN.get([_hash_key(key)])
    if token is None or token.expires_at <= timezone.now():
        return None
    return token


def system_client_issue_key(client: SystemClient) -> str:
    """Set a new key on an unsaved or existing client; returns the key (shown once)."""
    key = "sc_" + secrets.token_urlsafe(32)
    client.key_hash = _hash_key(key)
    client.prefix = key[:10]
    return key


# What the API asks of a client: its department (scope, inbox) or its division (a lower
# platform's scope, by the division's path).
_CLIENT = JoinedLookup(
    SystemClient, ("department", "division"), "t0.key_hash = %s AND t0.is_active = %s"
)


def system_client_lookup(key: str) -> SystemClient | None:
    return _CLIENT.get([_hash_key(key), True])


def totp_device_for(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """An unconfirmed device (a fresh secret) until the user proves they hold it."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="默认验证器", confirmed=False)


def otp_activation_send(*, user: User, request=None) -> None:
    """The out-of-band step before a second factor is bound where the role requires one
    (supervisor, leader, administrator): a code sent to the mobile the administrator
    registered, so that a stolen password alone cannot bind the thief's authenticator."""
    from shenpi.notify.services import notify

    if not user.mobile:
        raise Conflict("您的账户没有登记手机，无法发送绑定验证码，请联系管理员。", code="no_mobile")
    code = otp_activation_issue(user=user)
    notify(
        user,
        title="动态口令绑定验证码",
        body=f"您正在为账户 {user.username} 绑定动态口令验证器，验证码 {code}，10 分钟内有效。如非本人操作，请立即联系管理员。",
    )
    audit_record(
        stream=user_stream(user),
        action="otp.activation_code",
        actor=user,
        request=request,
        object_type="user",
        object_id=str(user.public_id),
    )


def otp_activation_issue(*, user: User) -> str:
    """A fresh activation code for `user` (the SMS above, or an operator's
    `manage.py otp_activation` for an account without a mobile, such as the first
    administrator)."""
    return codes.code_issue(user, "otp_activation")


def otp_activation_needed(user: User, *, verified: bool) -> bool:
    """A role that requires the second factor binds (or replaces) one only after the
    out-of-band step, unless this session has already passed its current factor."""
    return user.requires_two_factor and not verified


def totp_enrolment_confirm(
    *, user: User, token: str, request=None, activation: str = "", verified: bool = False
) -> TOTPDevice:
    needed = otp_activation_needed(user, verified=verified)
    # Checked before the binding's transaction, so that a wrong try stays counted.
    if needed and not codes.code_matches(user, "otp_activation", activation):
        raise InvalidInput(
            "绑定验证码不正确或已过期，请重新发送。", errors={"activation": ["验证码无效。"]}
        )
    return _totp_bind(user=user, token=token, request=request, activation_used=needed)


@transaction.atomic
def _totp_bind(*, user: User, token: str, request, activation_used: bool) -> TOTPDevice:
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise Conflict("没有待绑定的验证器，请重新开始绑定。", code="no_pending_device")
    if not device.verify_token((token or "").strip()):
        audit_record(
            stream=user_stream(user),
            action="otp.enrol",
            actor=user,
            request=request,
            object_type="otp_device",
            object_id=str(device.pk),
            outcome="failure",
        )
        raise InvalidInput(
            "动态口令不正确，请核对手机上的6位数字后重试。", errors={"token": ["动态口令不正确。"]}
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    if activation_used:
        codes.code_use(user, "otp_activation")
    audit_record(
        stream=user_stream(user),
        action="otp.enrol",
        actor=user,
        request=request,
        object_type="otp_device",
        object_id=str(device.pk),
    )
    return device
