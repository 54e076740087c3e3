import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.settings")
application = get_wsgi_application()

# Load every URL module (and the report and PDF code behind them) now, while the worker boots, rather than
# inside the first request it serves: that request would otherwise wait a couple of seconds.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018
