"""Every case transition is one service: one transaction that locks the case, asks the
core's transition table, writes the new state, the timeline, the audit record and the
outbox of notifications (STYLE.md 3). Nothing else assigns `Case.status`.

applying   the draft, its form and materials, the submission
intake     correction, supplement, acceptance, non-acceptance, withdrawal, termination
decision   grant or refusal, the licence, delivery, instant items at the window
deadlines  the periodic job's deemed events, dates a new schedule moves
personal   the applicant's numbers in clear, on record
review     the steps of the flow: claim, hand back, pass, verify, complete, respond
pauses     special procedures (Art. 45), urging
extensions the extension (Art. 42): asked, granted or refused by the approver
hearings   the hearing's notice, request, schedule and record (Art. 46-48)
authorisations  the 委托书: signed online or scanned at the window, revoked
bundles    一件事一次办: one application made into one case per item
commitments  告知承诺: the signed commitment, the shorter limit, the post-check
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
    competent_department,
    missing_required,
    open_draft,
)
from .authorisations import (
    authorisation_record_scan,
    authorisation_revoke,
    authorisation_sign,
    authorisation_text,
)
from .bundles import bundle_apply, bundle_progress
from .commitments import (
    case_commit,
    commitment_text,
    credit_record,
    post_check_light,
    post_check_record,
    post_checks_visible_to,
)
from .deadlines import cases_deadlines, cases_recompute_provisional, licences_renewal_watch
from .decision import add_months, case_decide, case_deliver, case_window_instant, licence_render
from .extensions import case_extend, extension_ask, extension_decide
from .hearings import (
    hearing_blocks_decision,
    hearing_notify_rights,
    hearing_record,
    hearing_request,
    hearing_schedule,
)
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
from .licence_sharing import (
    Shared,
    consent_grant,
    consent_revoke,
    licences_shared,
    live_consent,
    shared_reads,
)
from .pauses import case_resume, case_suspend, case_urge
from .personal import case_personal_read
from .pushing import Pushed, case_push
from .review import (
    open_tasks,
    task_claim,
    task_complete,
    task_hand_back,
    task_pass,
    task_respond,
    task_verify,
)

__all__ = [
    "case_commit",
    "commitment_text",
    "credit_record",
    "post_check_light",
    "post_check_record",
    "post_checks_visible_to",
    "bundle_apply",
    "bundle_progress",
    "authorisation_record_scan",
    "authorisation_revoke",
    "authorisation_sign",
    "authorisation_text",
    "CORRECTION_DAYS",
    "LICENCE_DAYS",
    "RENEWAL_PENDING",
    "add_months",
    "case_accept",
    "case_add_material",
    "case_create_draft",
    "open_draft",
    "case_decide",
    "case_deliver",
    "case_extend",
    "extension_ask",
    "extension_decide",
    "case_not_accept",
    "case_personal_read",
    "Shared",
    "consent_grant",
    "consent_revoke",
    "licences_shared",
    "live_consent",
    "shared_reads",
    "case_push",
    "Pushed",
    "case_remove_material",
    "case_request_correction",
    "case_request_originals",
    "case_resume",
    "case_reuse_licence",
    "case_reuse_material",
    "case_save_form",
    "case_submit",
    "case_submit_whole",
    "competent_department",
    "case_supplement",
    "case_suspend",
    "case_terminate",
    "case_urge",
    "case_window_instant",
    "case_withdraw",
    "cases_deadlines",
    "cases_recompute_provisional",
    "deem_accepted",
    "deem_withdrawn",
    "hearing_blocks_decision",
    "hearing_notify_rights",
    "hearing_record",
    "hearing_request",
    "hearing_schedule",
    "licence_render",
    "licences_renewal_watch",
    "material_mark_original_seen",
    "missing_required",
    "open_tasks",
    "task_claim",
    "task_complete",
    "task_hand_back",
    "task_pass",
    "task_respond",
    "task_verify",
]
