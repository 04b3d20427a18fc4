from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("apply/<str:code>/", views.apply_start, name="apply"),
    path("cases/<uuid:pk>/edit/", views.case_edit, name="edit"),
    path("cases/<uuid:pk>/commitment/", views.case_commit, name="commit"),
    path("cases/<uuid:pk>/", views.case_detail, name="detail"),
    path("cases/<uuid:pk>/upload/", views.material_upload, name="upload"),
    path("cases/<uuid:pk>/from-licence/", views.material_from_licence, name="from_licence"),
    path("cases/<uuid:pk>/from-library/", views.material_reuse, name="from_library"),
    path("cases/<uuid:pk>/act/", views.case_action, name="act"),
    path("cases/<uuid:pk>/personal/", views.case_personal, name="personal"),
    path("cases/<uuid:pk>/review/", views.case_review_action, name="review_act"),
    path("cases/<uuid:pk>/tasks/<uuid:task_pk>/", views.task_action, name="task_act"),
    path("materials/<uuid:pk>/remove/", views.material_remove, name="material_remove"),
    path("materials/<uuid:pk>/seen/", views.original_seen, name="original_seen"),
    path("materials/<uuid:pk>/", views.material_download, name="material"),
    path("notices/<uuid:pk>/", views.notice_download, name="notice"),
    path("licences/<uuid:pk>/", views.licence_download, name="licence"),
    path("my/cases/", views.my_cases, name="mine"),
    path("bundles/", views.bundle_list, name="bundles"),
    path("bundles/<str:code>/", views.bundle_apply, name="bundle"),
    path("my/bundles/<uuid:pk>/", views.bundle_progress, name="bundle_progress"),
    path("desk/intake/", views.intake, name="intake"),
    path("desk/extensions/", views.extension_queue, name="extensions"),
    path("desk/extensions/<uuid:pk>/", views.extension_decide, name="extension_decide"),
    path("window/", views.window, name="window"),
    path("desk/post-checks/", views.post_checks, name="post_checks"),
    path("desk/licence-library/", views.licence_library, name="licence_library"),
    path("my/licence-consents/", views.consent_grant, name="consent_grant"),
    path("my/licence-consents/<uuid:pk>/revoke/", views.consent_revoke, name="consent_revoke"),
    path("desk/post-checks/<uuid:pk>/", views.post_check_record, name="post_check_record"),
    path("my/credit/", views.credit_record, name="credit"),
    path("track/", views.track, name="track"),
    path("register/", views.register, name="register"),
    path("licences/<uuid:pk>/act/", views.licence_action, name="licence_act"),
    path("verify/notice/<uuid:pk>/", views.verify_notice, name="verify_notice"),
    path("verify/licence/<str:code>/", views.verify_licence, name="verify_licence"),
]
