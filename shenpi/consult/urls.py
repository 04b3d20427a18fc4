from django.urls import path

from . import views

app_name = "consult"

urlpatterns = [
    path("consult/ask/", views.ask, name="ask"),
    path("consult/lookup/", views.lookup, name="lookup"),
    path("consult/suggest/", views.suggest, name="suggest"),
    path("consult/<uuid:pk>/", views.question, name="question"),
    path("my/questions/", views.mine, name="mine"),
    path("desk/questions/", views.inbox, name="inbox"),
    path("desk/faqs/<uuid:pk>/review/", views.faq_review, name="faq_review"),
]
