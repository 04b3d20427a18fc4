"""The case app's pages, one module per kind of page; the URLconf names them here."""

from .applying import (  # noqa: F401
    apply_start,
    case_commit,
    case_edit,
    material_from_licence,
    material_remove,
    material_reuse,
    material_upload,
    my_cases,
)
from .bundles import bundle_apply, bundle_list, bundle_progress  # noqa: F401
from .case_page import (  # noqa: F401
    case_action,
    case_detail,
    case_personal,
    case_review_action,
    licence_action,
    licence_download,
    material_download,
    notice_download,
    original_seen,
    task_action,
)
from .desk import (  # noqa: F401
    intake,
    window,
)
from .extensions import (  # noqa: F401
    extension_decide,
    extension_queue,
)
from .licence_sharing import consent_grant, consent_revoke, licence_library  # noqa: F401
from .post_checks import credit_record, post_check_record, post_checks  # noqa: F401
from .public import (  # noqa: F401
    register,
    track,
    verify_licence,
    verify_notice,
)
