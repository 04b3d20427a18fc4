"""Every case transition is one service: one transaction that locks the case, asks the
core's transition table, writes the new state, the timeline, the audit record and the
outbox of notifications (STYLE.md 3). Nothing else assigns `Case.status`.

applying   the draft, its form and materials, the submission
intake     correction, supplement, acceptance, non-acceptance, withdrawal, termination
decision   grant or refusal, the licence, delivery, instant items at the window
deadlines  the periodic job's deemed events, dates a new schedule moves
personal   the applicant's numbers in clear, on record
(review.py beside this package: the steps of the flow, pauses, extension, hearings.)
"""

from ..constants import CORRECTION_DAYS, LICENCE_DAYS, RENEWAL_PENDING
from .applying import (
    case_add_material,
    case_create_draft,
    case_remove_material,
    case_reuse_licence,
    case_reuse_material,
    case_save_form,
    case_submit,
    case_submit_whole,
    missing_required,
)
from .deadlines import cases_deadlines, cases_recompute_provisional, licences_renewal_watch
from .decision import add_months, case_decide, case_deliver, case_window_instant, licence_render
from .intake import (
    case_accept,
    case_not_accept,
    case_request_correction,
    case_request_originals,
    case_supplement,
    case_terminate,
    case_withdraw,
    deem_accepted,
    deem_withdrawn,
    material_mark_original_seen,
)
from .personal import case_personal_read

__all__ = [
    "CORRECTION_DAYS",
    "LICENCE_DAYS",
    "RENEWAL_PENDING",
    "add_months",
    "case_accept",
    "case_add_material",
    "case_create_draft",
    "case_decide",
    "case_deliver",
    "case_not_accept",
    "case_personal_read",
    "case_remove_material",
    "case_request_correction",
    "case_request_originals",
    "case_reuse_licence",
    "case_reuse_material",
    "case_save_form",
    "case_submit",
    "case_submit_whole",
    "case_supplement",
    "case_terminate",
    "case_window_instant",
    "case_withdraw",
    "cases_deadlines",
    "cases_recompute_provisional",
    "deem_accepted",
    "deem_withdrawn",
    "licence_render",
    "licences_renewal_watch",
    "material_mark_original_seen",
    "missing_required",
]
