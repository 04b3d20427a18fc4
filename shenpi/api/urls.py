from django.urls import path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from . import cases, catalog, consult, search, stats, supervision, views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file (no inline script: CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("me/", views.MeApi.as_view(), name="me"),
    path("auth/token/", views.TokenCreateApi.as_view(), name="token"),
    path("auth/token/current/", views.TokenRevokeApi.as_view(), name="token_revoke"),
    path("divisions/", views.DivisionListApi.as_view(), name="divisions"),
    path("departments/", views.DepartmentListApi.as_view(), name="departments"),
    path("departments/<uuid:pk>/", views.DepartmentDetailApi.as_view(), name="department"),
    path("staff/", views.StaffListApi.as_view(), name="staff"),
    path("staff/<uuid:public_id>/", views.StaffDetailApi.as_view(), name="staff_detail"),
    path("items/", catalog.ItemListApi.as_view(), name="items"),
    path("items/<str:code>/", catalog.ItemDetailApi.as_view(), name="item"),
    path("items/<str:code>/versions/", catalog.ItemVersionsApi.as_view(), name="item_versions"),
    path("items/<str:code>/drafts/", catalog.DraftCreateApi.as_view(), name="item_draft"),
    path("item-versions/<uuid:pk>/", catalog.VersionDetailApi.as_view(), name="item_version"),
    path(
        "item-versions/<uuid:pk>/submit/",
        catalog.VersionSubmitApi.as_view(),
        name="item_version_submit",
    ),
    path("forms/<uuid:pk>/", catalog.FormDownloadApi.as_view(), name="form"),
    path("publications/", catalog.PublicationListApi.as_view(), name="publications"),
    path("cases/", cases.CaseListApi.as_view(), name="cases"),
    path("cases/draft/", cases.CaseDraftApi.as_view(), name="case_draft"),
    path("cases/submit/", cases.OneRequestSubmitApi.as_view(), name="case_submit_one"),
    path("cases/track/", cases.TrackApi.as_view(), name="case_track"),
    path("cases/<uuid:pk>/", cases.CaseDetailApi.as_view(), name="case"),
    path("cases/<uuid:pk>/materials/", cases.MaterialUploadApi.as_view(), name="case_materials"),
    path("cases/<uuid:pk>/personal/", cases.CasePersonalApi.as_view(), name="case_personal"),
    path("cases/<uuid:pk>/submit/", cases.CaseSubmitApi.as_view(), name="case_submit"),
    path("cases/<uuid:pk>/actions/", cases.CaseActionApi.as_view(), name="case_action"),
    path(
        "cases/<uuid:pk>/review-actions/",
        cases.CaseReviewActionApi.as_view(),
        name="case_review_action",
    ),
    path("tasks/", cases.TaskInboxApi.as_view(), name="tasks"),
    path(
        "statistics/departments/",
        stats.DepartmentStatisticsApi.as_view(),
        name="statistics_departments",
    ),
    path("extension-requests/", cases.ExtensionQueueApi.as_view(), name="extension_requests"),
    path(
        "extension-requests/<uuid:pk>/decision/",
        cases.ExtensionDecisionApi.as_view(),
        name="extension_decision",
    ),
    path("licences/verify/", cases.LicenceVerifyApi.as_view(), name="licence_verify"),
    path("supervision/warnings/", supervision.WarningListApi.as_view(), name="warnings"),
    path("supervision/evaluation/", supervision.EvaluationApi.as_view(), name="evaluation"),
    path("questions/", consult.QuestionListApi.as_view(), name="questions"),
    path("questions/lookup/", consult.QuestionLookupApi.as_view(), name="question_lookup"),
    path("questions/<uuid:pk>/", consult.QuestionDetailApi.as_view(), name="question"),
    path(
        "questions/<uuid:pk>/actions/",
        consult.QuestionActionApi.as_view(),
        name="question_actions",
    ),
    path("faqs/", consult.FaqListApi.as_view(), name="faqs"),
    path("search/", search.SearchApi.as_view(), name="search"),
    path("faqs/<uuid:pk>/review/", consult.FaqReviewApi.as_view(), name="faq_review"),
    path("complaints/", supervision.ComplaintFileApi.as_view(), name="complaints"),
    path(
        "complaints/<str:number>/actions/",
        supervision.ComplaintActionApi.as_view(),
        name="complaint_actions",
    ),
    path("cases/<uuid:pk>/rating/", supervision.RatingApi.as_view(), name="case_rating"),
    path(
        "cases/<uuid:pk>/rating/confirm/",
        supervision.RatingConfirmApi.as_view(),
        name="case_rating_confirm",
    ),
    path(
        "cases/<uuid:pk>/rating/window-device/",
        supervision.WindowDeviceApi.as_view(),
        name="case_rating_window_device",
    ),
    path(
        "rating-device/<str:token>/",
        supervision.WindowDeviceRatingApi.as_view(),
        name="rating_device",
    ),
    path("supervision/monitor/", supervision.MonitorApi.as_view(), name="monitor"),
    path("supervision/orders/", supervision.OrderApi.as_view(), name="orders"),
    path(
        "supervision/orders/<int:pk>/answer/",
        supervision.OrderAnswerApi.as_view(),
        name="order_answer",
    ),
    path("tasks/<uuid:pk>/actions/", cases.TaskActionApi.as_view(), name="task_action"),
    path("publications/<uuid:pk>/", catalog.PublicationDetailApi.as_view(), name="publication"),
]
