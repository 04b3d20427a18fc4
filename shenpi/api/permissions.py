from rest_framework.permissions import BasePermission

from shenpi.accounts.scope import client_may


def client_action(action):
    """A permission class: system clients need `action` in their allowed list; people pass."""

    class ClientAction(BasePermission):
        message = f"该系统客户端未被授权执行“{action.label}”。"

        def has_permission(self, request, view):
            return client_may(request.user, action)

    ClientAction.__name__ = f"ClientAction_{action.value.replace('.', '_')}"
    return ClientAction


class IsStaffOrClient(BasePermission):
    message = "只有工作人员或经授权的系统客户端可以访问。"

    def has_permission(self, request, view):
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and (getattr(user, "is_system_client", False) or user.account_type in ("staff",))
        )
