"""Login, failure and logout land in the audit log. These are Django's own auth
events, so its signals are the place to hear them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from shenpi.audit.services import audit_record

from . import throttle


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    throttle.cleared(user.username)
    audit_record(
        stream=f"user:{user.public_id}",
        action="login",
        actor=user,
        request=request,
        object_type="user",
        object_id=str(user.public_id),
    )


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None and user.pk:
        audit_record(
            stream=f"user:{user.public_id}",
            action="logout",
            actor=user,
            request=request,
            object_type="user",
            object_id=str(user.public_id),
        )


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:120]
    throttle.failed(username)
    user = get_user_model().objects.filter(username=username).first()
    # Failures against unknown names share one stream, so no one can create streams at will.
    stream = f"user:{user.public_id}" if user else "auth:unknown"
    audit_record(
        stream=stream,
        action="login",
        actor=user,
        actor_label=username or "anonymous",
        request=request,
        object_type="user",
        object_id=str(user.public_id) if user else "",
        outcome="failure",
    )
