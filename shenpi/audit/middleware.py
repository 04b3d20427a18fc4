"""The client address of the request being served, for the audit records written while
serving it: services record who did what, and every record also says from where, without
each service being handed the request."""

from __future__ import annotations

from .context import current_address
from .services import client_ip


class RequestAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_address.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_address.reset(token)
