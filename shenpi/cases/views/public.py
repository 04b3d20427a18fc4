"""Public pages: tracking by number and password, verifying a notice or a licence, the
public register of licences."""

from django.shortcuts import get_object_or_404, render

from shenpi.accounts.constants import AccountType
from shenpi.audit.services import client_ip
from shenpi.core.errors import DomainError

from .. import documents, selectors
from ..models import Licence, Notice
from ..progress import step_bar


def track(request):
    """Anyone with the case number and its query password (rate-limited per address)."""
    case = None
    error = None
    number = request.POST.get("number", "").strip()
    if request.method == "POST":
        try:
            case = selectors.case_tracked(
                client_ip(request), number, request.POST.get("password", "")
            )
        except DomainError as exc:
            error = exc.message
    return render(
        request,
        "cases/track.html",
        {
            "case": case,
            "error": error,
            "number": number,
            "events": case.events.filter(public=True) if case else [],
            "due_rows": selectors.due_rows(case) if case else [],
            "steps": step_bar(case) if case and case.status != "draft" else None,
        },
    )


def verify_notice(request, pk):
    notice = get_object_or_404(Notice.objects.select_related("case", "department"), pk=pk)
    signature = documents.file_signature(notice.file)
    return render(request, "cases/verify.html", {"notice": notice, "signature": signature})


def verify_licence(request, code):
    """Anyone with the licence's QR link (PUB-07, Art. 40): what licence_public_view tells."""
    from ..constants import LicenceStatus
    from ..licences import licence_public_view, licence_verify_allowed

    try:
        licence_verify_allowed(client_ip(request))
    except DomainError as exc:
        return render(request, "cases/verify.html", {"error": exc.message}, status=429)
    licence = (
        Licence.objects.select_related("department", "holder", "case__version")
        .filter(verification_code=code.upper()[:32])
        .first()
    )
    view = licence and licence_public_view(licence)
    return render(
        request,
        "cases/verify.html",
        {
            "licence": view,
            "signature": view and view["signature"],
            "status": view and LicenceStatus(view["status"]),
            "code": code,
        },
        status=200 if licence else 404,
    )


def register(request):
    """The public register of grants (Art. 40), personal data masked."""
    from django.core.paginator import Paginator

    from ..licences import masked_holder, public_register

    q = request.GET.get("q", "").strip()[:50]
    qs = public_register()
    if q:
        # A natural person's name is masked in public, so it is not searchable either: a
        # hit would confirm it. An enterprise's name is public and searchable.
        qs = (
            qs.filter(name__icontains=q)
            | qs.filter(number__icontains=q)
            | qs.filter(holder_name__icontains=q, holder__account_type=AccountType.ENTERPRISE)
        )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    rows = [(lic, masked_holder(lic)) for lic in page]
    return render(request, "cases/register.html", {"page": page, "rows": rows, "q": q})
