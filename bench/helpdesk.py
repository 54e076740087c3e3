"""django-helpdesk 2.6.1 for comparison: installed from the package registry into its own venv in a temporary
directory, with a minimal project generated here, on its own PostgreSQL database. Nothing of it is committed."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .common import recreate_db

SETTINGS = """
SECRET_KEY = "helpdesk-bench-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles", "django.contrib.sites",
    "django.contrib.humanize", "rest_framework", "helpdesk"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware", "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware"]
ROOT_URLCONF = "hdproj.urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True, "OPTIONS": {
    "context_processors": ["django.template.context_processors.request", "django.contrib.auth.context_processors.auth",
                           "django.contrib.messages.context_processors.messages"]}}]
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "%(db)s", "USER": "postgres",
                         "HOST": "127.0.0.1", "PORT": "5432", "CONN_MAX_AGE": 60}}
SITE_ID = 1
STATIC_URL = "/static/"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
import os
# Its mail to each submitter goes to the bench's SMTP sink during the intake runs, as it would to a real server.
EMAIL_BACKEND = ("django.core.mail.backends.smtp.EmailBackend" if os.environ.get("BENCH_SMTP_PORT")
                 else "django.core.mail.backends.dummy.EmailBackend")
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("BENCH_SMTP_PORT", "25"))
HELPDESK_PUBLIC_ENABLED = True
HELPDESK_TEAMS_MODE_ENABLED = False
"""
URLS = """
from django.urls import include, path
urlpatterns = [path("", include("helpdesk.urls", namespace="helpdesk"))]
"""
WSGI = """
import os
from django.core.wsgi import get_wsgi_application
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hdproj.settings")
application = get_wsgi_application()
"""
QUEUE = (
    "from helpdesk.models import Queue; Queue.objects.get_or_create(slug='support', "
    "defaults={'title': 'Поддержка', 'allow_public_submission': True})"
)


def prepare() -> tuple[Path, dict[str, str]]:
    """Returns (project directory, environment) with a venv whose python serves helpdesk."""
    root = Path(tempfile.mkdtemp(prefix="opora-helpdesk-"))
    subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True)
    pip = [str(root / "venv" / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "django-helpdesk==2.6.1", "gunicorn", "psycopg[binary]"], check=True)
    database = recreate_db("helpdesk_bench")
    db = database.rsplit("/", 1)[1]
    (root / "hdproj").mkdir()
    (root / "hdproj" / "__init__.py").write_text("")
    (root / "hdproj" / "settings.py").write_text(SETTINGS % {"db": db})
    (root / "hdproj" / "urls.py").write_text(URLS)
    (root / "hdproj" / "wsgi.py").write_text(WSGI)
    # DATABASE_URL only says which database the bench looks after; django-helpdesk reads its settings.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hdproj.settings", "PYTHONPATH": str(root), "DATABASE_URL": database}
    python = str(root / "venv" / "bin" / "python")
    subprocess.run([python, "-m", "django", "migrate", "-v0"], cwd=root, env=env, check=True)
    subprocess.run([python, "-c", "import django; django.setup(); " + QUEUE], cwd=root, env=env, check=True)
    return root, env
