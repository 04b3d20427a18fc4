"""/api/v1 for cases: the same services, rules and action table as the pages."""

from .acting import urlpatterns as action_urlpatterns  # noqa: F401
from .applying import (  # noqa: F401
    CaseDraftApi,
    CaseSubmitApi,
    DraftIn,
    MaterialUploadApi,
    OneRequestSubmitApi,
    SubmitIn,
    SubmittedOut,
)
from .commitments import (  # noqa: F401
    CaseCommitmentApi,
    PostCheckListApi,
    PostCheckResultApi,
)
from .extensions import (  # noqa: F401
    ExtensionDecisionApi,
    ExtensionQueueApi,
)
from .inbox import (  # noqa: F401
    InboxPagination,
    TaskInboxApi,
    TaskInboxOut,
)
from .output import (  # noqa: F401
    CaseMaterialOut,
    CaseOut,
    EventOut,
    NoticeOut,
    TaskOut,
)
from .reading import (  # noqa: F401
    CaseDetailApi,
    CaseListApi,
    CasePersonalApi,
    CasePersonalOut,
    LicenceVerifyApi,
    LicenceVerifyOut,
    TrackApi,
    TrackIn,
    TrackOut,
)
