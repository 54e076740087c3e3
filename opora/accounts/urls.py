from django.contrib.auth import views as auth_views
from django.urls import path

from .twofactor import two_factor

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/", two_factor, name="two_factor"),
]
