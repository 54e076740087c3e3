from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("charts/<slug:name>.svg", views.chart, name="chart"),
    path("clauses/", views.clauses, name="clauses"),
    path("export/", views.export_tickets, name="export"),
    path("register.pdf", views.register, name="register"),
]
