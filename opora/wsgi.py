import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.settings")
application = get_wsgi_application()

# Load every URL module (and the report and PDF code behind them) now, while the worker boots, rather than
# inside the first request it serves: that request would otherwise wait a couple of seconds.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018

# What the worker has loaded lives as long as it does. Left to the collector, its full passes walk all of it
# (about 130,000 objects) and stop the worker for about 70 ms every few thousand requests, while the families
# queue behind it; frozen, those passes look only at what requests leave behind.
gc.freeze()
