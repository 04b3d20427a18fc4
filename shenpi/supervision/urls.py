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
]
