"""The stack's own ceiling: a bare Django view that inserts one row and returns a short page.

It lives in bench/ only. Same Django, gunicorn, PostgreSQL and client as Opora; nothing else.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

settings.configure(
    DEBUG=False,
    SECRET_KEY="ceiling-" + "x" * 40,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("CEILING_DB", "ceiling_bench"),
            "USER": "postgres",
            "HOST": "127.0.0.1",
            "PORT": "5432",
            "CONN_MAX_AGE": 60,
        }
    },
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_TZ=True,
)

FORM = '<!doctype html><form method="post"><input name="started" value="0"><input name="text"></form>'


@csrf_exempt
def page(request: HttpRequest, slug: str = "") -> HttpResponse:
    if request.method == "POST":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO row (text, created_at) VALUES (%s, now())", [request.POST.get("description", "")]
            )
        return HttpResponse("<!doctype html><p>ok</p>", status=302, headers={"Location": "/done/"})
    return HttpResponse(FORM)


urlpatterns = [path("", page), path("o/<slug:slug>/", page)]
application = get_wsgi_application()


def create_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS row (id bigserial primary key, text text, created_at timestamptz)")
