from django.urls import path

from . import views

app_name = "agency"

urlpatterns = [
    path("agency/", views.agency_home, name="home"),
    path("agency/projects/", views.projects, name="projects"),
    path("agency/projects/new/", views.project_new, name="project_new"),
    path("agency/projects/<uuid:pk>/", views.project_detail, name="project"),
    path(
        "agency/projects/<uuid:pk>/items/<int:item_pk>/apply/",
        views.project_apply,
        name="project_apply",
    ),
    path("my/authorisations/", views.my_authorisations, name="my_authorisations"),
    path("my/authorisations/<uuid:pk>/revoke/", views.authorisation_revoke, name="revoke"),
    path("window/authorisation/", views.window_authorisation, name="window_authorisation"),
]
