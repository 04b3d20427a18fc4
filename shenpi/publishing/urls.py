from django.urls import path

from . import views

app_name = "publishing"

urlpatterns = [
    path("policies/", views.public_list, name="list"),
    path("policies/<uuid:pk>/", views.public_detail, name="detail"),
    path("publishing/", views.manage, name="manage"),
    path("publishing/new/", views.edit, name="new"),
    path("publishing/<uuid:pk>/edit/", views.edit, name="edit"),
    path("publishing/<uuid:pk>/review/", views.review, name="review"),
]
