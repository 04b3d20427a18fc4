"""An operator issues the out-of-band code a person needs to bind their second factor when
no mobile is registered for them (the first administrator, typically)."""

from django.core.management.base import BaseCommand, CommandError

from shenpi.accounts.codes import CODE_SECONDS
from shenpi.accounts.models import User
from shenpi.accounts.services import otp_activation_issue, user_stream
from shenpi.audit.services import audit_record


class Command(BaseCommand):
    help = "为没有登记手机的账户签发动态口令绑定验证码（10 分钟有效，只显示一次）。"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有用户名为“{username}”的有效账户。")
        code = otp_activation_issue(user=user)
        audit_record(
            stream=user_stream(user),
            action="otp.activation_code",
            actor_label="operator:manage.py",
            object_type="user",
            object_id=str(user.public_id),
        )
        self.stdout.write(
            f"{user.username} 的绑定验证码：{code}（{CODE_SECONDS // 60} 分钟内有效）"
        )
