from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("desk/statistics/", views.department_statistics, name="department"),
]
