"""Error pages in Chinese; problem JSON under /api/."""

from django.shortcuts import render

from shenpi.common.problems import problem_response


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return problem_response(404, "未找到该资源，或您无权查看。")
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    if request.path.startswith("/api/"):
        return problem_response(403, "无权执行此操作。")
    return render(request, "errors/403.html", status=403)


def server_error(request):
    if request.path.startswith("/api/"):
        return problem_response(500, "服务器内部错误，请稍后再试。", code="server_error")
    return render(request, "errors/500.html", status=500)
