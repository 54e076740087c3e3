from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("access-log/", views.access_log, name="access_log"),
    path("person/", views.person, name="person"),
    path("acts/", views.acts, name="acts"),
    path("acts/<int:pk>.pdf", views.act_download, name="act"),
    path("risk-words/", views.risk_words, name="risk_words"),
]
