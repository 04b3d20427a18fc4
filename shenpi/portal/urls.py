from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("workbench/", views.workbench, name="workbench"),
    path("workbench/<slug:slug>/", views.role_home, name="role_home"),
    path("s/<slug:slug>/", views.entrance, name="entrance"),
]
