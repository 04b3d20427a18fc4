from django.urls import path

from . import views

app_name = "notify"

urlpatterns = [
    path("my/messages/", views.inbox, name="inbox"),
    path("my/messages/read/", views.mark_read, name="read"),
    path("my/messages/<int:pk>/", views.open_message, name="open"),
]
