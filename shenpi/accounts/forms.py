from django import forms
from django.contrib.auth.forms import AuthenticationForm

from . import throttle


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。在同一地址连续输错 5 次，该账户在此地址锁定 30 分钟。",
        "inactive": "该账户已停用，请联系管理员。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"

    def clean(self):
        # Heard only once the name's progressive delay has passed (accounts.throttle).
        wait = throttle.delay_remaining(self.cleaned_data.get("username", ""))
        if wait:
            raise forms.ValidationError(throttle.delayed_message(wait), code="delayed")
        return super().clean()


class OtpForm(forms.Form):
    activation = forms.CharField(
        label="绑定验证码",
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text="发送到您登记手机的6位验证码（监察、领导和管理员账户绑定时需要）。",
    )
    token = forms.CharField(
        label="动态口令",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text="打开手机上的身份验证器，输入显示的6位数字。",
    )


class _RegisterBase(forms.Form):
    username = forms.CharField(
        label="用户名", max_length=150, help_text="登录时使用；字母、数字和 @/./+/-/_。"
    )
    mobile = forms.CharField(label="手机号码", max_length=20)
    email = forms.EmailField(label="电子邮箱（选填）", required=False)
    password = forms.CharField(
        label="密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少8位，含大写字母、小写字母、数字、符号中的至少三类。",
    )
    password2 = forms.CharField(
        label="确认密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", "两次输入的密码不一致。")
        return data


class PersonRegisterForm(_RegisterBase):
    real_name = forms.CharField(label="真实姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=20)
    field_order = ["real_name", "id_number", "mobile", "username", "email", "password", "password2"]


class EnterpriseRegisterForm(_RegisterBase):
    enterprise_name = forms.CharField(label="企业名称", max_length=100)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=20)
    legal_representative = forms.CharField(label="法定代表人", max_length=50)
    field_order = [
        "enterprise_name",
        "credit_code",
        "legal_representative",
        "mobile",
        "username",
        "email",
        "password",
        "password2",
    ]
