from django.urls import path

from . import bundle_views, views

app_name = "catalog"

urlpatterns = [
    path("guide/", views.guide_list, name="guide_list"),
    path("guide/<str:code>/", views.guide_detail, name="guide_detail"),
    path("guide/<str:code>/v<int:number>/", views.guide_version, name="guide_version"),
    path("forms/<uuid:pk>/", views.form_download, name="form_download"),
    path("catalog/manage/", views.manage, name="manage"),
    path("catalog/manage/new/", views.item_new, name="item_new"),
    path("catalog/manage/export.xlsx", views.export_items, name="export"),
    path("catalog/manage/import/", views.import_items, name="import"),
    path("catalog/manage/forms/", views.form_upload, name="form_upload"),
    path("catalog/manage/<str:code>/draft/", views.draft_next, name="draft_next"),
    path("catalog/versions/<uuid:pk>/", views.version_diff, name="version_diff"),
    path("catalog/versions/<uuid:pk>/edit/", views.version_edit, name="version_edit"),
    path("catalog/versions/<uuid:pk>/submit/", views.version_submit, name="version_submit"),
    path("catalog/versions/<uuid:pk>/review/", views.review_decide, name="review_decide"),
    path("catalog/review/", views.review_queue, name="review_queue"),
    path("catalog/bundles/", bundle_views.bundle_manage, name="bundles"),
    path("catalog/bundles/<int:pk>/", bundle_views.bundle_act, name="bundle_act"),
    path("catalog/review/<str:code>/abolish/", views.item_abolish, name="item_abolish"),
]
