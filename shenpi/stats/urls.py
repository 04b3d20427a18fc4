from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("desk/statistics/", views.department_statistics, name="department"),
    path("desk/statistics/cases/", views.cases_behind, name="cases_behind"),
    path("desk/decision/", views.decision_support, name="decision"),
    path("desk/currency/", views.information_currency, name="currency"),
    path("desk/reviews/", views.management_reviews, name="reviews"),
    path("desk/reviews/generate/", views.management_review_generate, name="review_generate"),
    path("desk/reviews/<int:pk>/", views.management_review_file, name="review_file"),
    path("desk/currency/<str:code>/confirm/", views.guide_confirm, name="guide_confirm"),
]
