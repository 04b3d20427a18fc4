from django.urls import path

from . import views

app_name = "hall"

urlpatterns = [
    path("hall/", views.halls, name="halls"),
    path("hall/window/", views.window, name="window"),
    path("hall/monitor/", views.monitor_list, name="monitor_list"),
    path("hall/monitor/<slug:code>/", views.monitor, name="monitor"),
    path("hall/ticket/<str:pk>/", views.ticket, name="ticket"),
    path("hall/device/<str:pk>/", views.device, name="device"),
    path("hall/<slug:code>/book/", views.book, name="book"),
    path("hall/<slug:code>/kiosk/", views.kiosk, name="kiosk"),
    path("hall/<slug:code>/take/", views.take, name="take"),
    path("hall/<slug:code>/board/", views.board, name="board"),
    path("hall/<slug:code>/poster/", views.poster, name="poster"),
    path("my/bookings/", views.mine, name="mine"),
    path("my/bookings/<str:pk>/cancel/", views.cancel, name="cancel"),
    path("hall/bookings/cancel/<str:token>/", views.cancel_link, name="cancel_link"),
]
