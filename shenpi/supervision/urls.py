from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("supervision/monitor/", views.monitor, name="monitor"),
    path("supervision/screen/", views.screen, name="screen"),
    path("supervision/screen/data/", views.screen_data, name="screen_data"),
    path("supervision/orders/", views.orders, name="orders"),
    path("supervision/orders/<int:pk>/answer/", views.order_answer, name="order_answer"),
    path("cases/<uuid:case_pk>/order/", views.order_issue, name="order_issue"),
    path("cases/<uuid:case_pk>/feedback/", views.case_feedback, name="case_feedback"),
    path("complain/", views.complaint_new, name="complaint_new"),
    path("complain/lookup/", views.complaint_lookup, name="complaint_lookup"),
    path("supervision/complaints/", views.complaints, name="complaints"),
    path("my/complaints/", views.my_complaints, name="my_complaints"),
    path("rate/<str:token>/", views.window_rating, name="window_rating"),
    path("supervision/complaints/<int:pk>/", views.complaint_act, name="complaint_act"),
    path("supervision/audit/", views.audit_log, name="audit"),
    path("supervision/evaluation/", views.evaluation, name="evaluation"),
    path("supervision/rules/", views.rules, name="rules"),
    path("supervision/rules/steps/", views.rule_steps, name="rule_steps"),
    path("supervision/findings/", views.findings, name="findings"),
    path("cases/<uuid:case_pk>/rating-appeal/", views.rating_appeal, name="rating_appeal"),
    path("observer/", views.watched, name="watched"),
]
