from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    path("failed/", views.failed, name="failed"),
    path("failed/<int:pk>/retry/", views.retry_failed, name="retry"),
    path("settings/", views.preferences, name="preferences"),
]
