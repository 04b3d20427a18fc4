"""What the case app's pages share: a refusal shown as messages, the applicant-only
check, where a refused step's typed opinion waits for the page."""

from django.contrib import messages
from django.http import Http404

from shenpi.accounts.constants import AccountType
from shenpi.core.errors import DomainError


def errors_to_messages(request, exc: DomainError):
    messages.error(request, exc.message)
    for errors in exc.errors.values():
        for error in errors if isinstance(errors, list) else [errors]:
            if error != exc.message:
                messages.error(request, str(error))


def applicant_required(request):
    if request.user.account_type not in (AccountType.PERSON, AccountType.ENTERPRISE):
        raise Http404


TASK_DRAFTS = "task_drafts"
