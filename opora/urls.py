from django.contrib import admin
from django.urls import include, path

# The families' pages first: they are most of the traffic on a surge, and every pattern before them is tried
# on each request.
urlpatterns = [
    path("", include("opora.intake.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("opora.accounts.urls")),
    path("desk/", include("opora.desk.urls")),
    path("reports/", include("opora.reports.urls")),
    path("notify/", include("opora.notify.urls")),
    path("audit/", include("opora.audit.urls")),
]
