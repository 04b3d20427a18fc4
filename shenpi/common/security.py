"""The Content-Security-Policy every page is served with: scripts, styles, fonts and images
from this site only, no inline script or style, no plugins, no framing, forms posted here.
The pages keep to it (their scripts are static files; a browser journey fails on any
violation the browser reports)."""

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Django's own administration pages still carry inline styles and scripts of their own.
ADMIN_POLICY = POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


def policy_with_streams(origins) -> str:
    """The policy for a page that plays video streams (the hall's cameras, HLS): hls.js
    fetches the playlists and segments from the streams' origins and plays them through a
    blob: URL (Media Source Extensions)."""
    extra = " ".join(sorted(set(origins)))
    return (
        POLICY.replace("connect-src 'self'", f"connect-src 'self' {extra}".rstrip())
        + f"; media-src 'self' blob: {extra}".rstrip()
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path.startswith("/admin/")
            response["Content-Security-Policy"] = ADMIN_POLICY if admin else POLICY
        return response


NUL_MESSAGE = "请求中含有不允许的控制字符（NUL）。"


def _nul_response(request):
    from django.http import HttpResponseBadRequest

    if request.path.startswith("/api/"):
        from shenpi.common.problems import problem_response

        return problem_response(400, NUL_MESSAGE, code="invalid")
    return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")


class RejectNulMiddleware:
    """A NUL character cannot be stored or compared by PostgreSQL (psycopg refuses the
    statement), so input carrying one is refused at the door: in the query string, and in
    the form fields of pages (the API's serializers refuse it in their fields). Whatever
    slips past is still a 400 (process_exception), never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in v for v in request.GET.values()):
            return _nul_response(request)
        if (
            request.method == "POST"
            and not request.path.startswith("/api/")
            and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
            and any("\x00" in v for v in request.POST.values())
        ):
            return _nul_response(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ValueError) and "NUL (0x00)" in str(exception):
            return _nul_response(request)
        return None
