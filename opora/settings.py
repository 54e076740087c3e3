"""One settings module; every deployment choice is an environment variable (see README)."""

from pathlib import Path

import environ
from xstatic.pkg import bootstrap as xstatic_bootstrap

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("OPORA_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
DEMO_MODE = env.bool("OPORA_DEMO", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-dev-only-key-change-me" if DEBUG or DEMO_MODE else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true / OPORA_DEMO=true for a local run).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# A single-school install serves that school's form at the site root.
DEFAULT_SCHOOL_SLUG = env.str("OPORA_DEFAULT_SCHOOL", default="")
# People need a few seconds to fill in the form; scripts that post at once are refused.
OPORA_MIN_FILL_SECONDS = env.float("OPORA_MIN_FILL_SECONDS", default=3.0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "opora.common",
    "opora.accounts",
    "opora.tickets",
    "opora.intake",
    "opora.desk",
    "opora.notify",
    "opora.reports",
    "opora.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "opora.accounts.middleware.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "opora.accounts.twofactor.RequireSecondFactorMiddleware",
    "opora.accounts.middleware.SchoolTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "opora.common.csp.CSPMiddleware",
    "opora.accounts.middleware.PermissionsPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into its own response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# The demo keeps its published logins simple; every real install asks the head and psychologist for a code.
OPORA_REQUIRE_2FA = env.bool("OPORA_REQUIRE_2FA", default=not DEMO_MODE)
OTP_TOTP_ISSUER = "Опора"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = None  # an administrator unlocks (admin, or `manage.py axes_reset_username`)
AXES_RESET_ON_SUCCESS = True
# Lock the account, not the address: a whole school often shares one IP.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"

# A strict policy: no inline scripts or styles anywhere; every asset is served by Opora itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

ROOT_URLCONF = "opora.urls"
WSGI_APPLICATION = "opora.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "opora.accounts.context.roles",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'opora.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server, the worker and the watcher share one file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests get a file too, not Django's shared in-memory database: the browser tests' live server would
    # otherwise run its views on the test's own connection, and two threads in one SQLite connection can
    # deadlock when a query calls back into Python (Django's date functions do) while the other waits.
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", str(VAR_DIR / "test.sqlite3"))
else:
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's own, but for a health check that costs a busy connection no round trip.
        DATABASES["default"]["ENGINE"] = "opora.common.postgresql"
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A statement run again on the same connection is parsed once: a submit's inserts and a queue's queries
    # are the same few statements all day. Each run is still planned for its own values: a plan made once for
    # any values (PostgreSQL's generic plan) read whole years of requests for a report of one month. The
    # families' pool (deploy/systemd/opora-public.service) sets DB_PLAN_CACHE_MODE=auto: its statements have
    # one shape whatever the values, and planning each run cost a submit a third of its database time. Off
    # behind a pooler that cannot keep them (PgBouncer in transaction mode before 1.21), see
    # docs/operations.md.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    server = [options["options"]] if options.get("options") else []  # PostgreSQL settings for each connection
    if env.bool("DB_PREPARED_STATEMENTS", default=True):
        plan_cache_mode = env.str("DB_PLAN_CACHE_MODE", default="force_custom_plan")
        if plan_cache_mode not in {"force_custom_plan", "auto"}:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured("DB_PLAN_CACHE_MODE is force_custom_plan (the default) or auto.")
        options.update({"server_side_binding": True, "prepare_threshold": env.int("DB_PREPARE_THRESHOLD", default=5)})
        server.append(f"-c plan_cache_mode={plan_cache_mode}")
    # No JIT compilation: Opora's heaviest statements (a year's report over millions of requests) run in well
    # under a second, and compiling one took 0.1–0.2 s on its own, far more on a busy machine.
    if not env.bool("DB_JIT", default=False):
        server.append("-c jit=off")
    if server:
        options["options"] = " ".join(server)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

TASKS = {
    "default": {
        "BACKEND": env.str("TASK_BACKEND", default="opora.common.tasks.DatabaseBackend"),
        # "families": families' own mail (receipts, answers), served by a worker of its own in production.
        "QUEUES": ["default", "families"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "desk:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", xstatic_bootstrap.BASE_DIR),
]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private"), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Attachments are private files: kept outside the web root, served only by a checked view.
PRIVATE_MEDIA_ROOT = VAR_DIR / "private"
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=15)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Опора <support@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

OPORA_MAIL_MAX_ATTEMPTS = env.int("OPORA_MAIL_MAX_ATTEMPTS", default=6)
OPORA_MAIL_BACKOFF_SECONDS = env.int("OPORA_MAIL_BACKOFF_SECONDS", default=60)
OPORA_MAIL_LEASE_SECONDS = env.int("OPORA_MAIL_LEASE_SECONDS", default=120)
# The most requests one staff message lists when their news waited for the worker together (1: one message each).
OPORA_MAIL_TOGETHER = env.int("OPORA_MAIL_TOGETHER", default=50)
# How long staff mail about a new or routed request waits for others to go with it (0: it goes at once).
OPORA_STAFF_MAIL_GATHER_SECONDS = env.int("OPORA_STAFF_MAIL_GATHER_SECONDS", default=30)

SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=8 * 3600)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG and not DEMO_MODE)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of Opora append to X-Forwarded-For (nginx: 1). Without this, every family
# would share the proxy's address and the per-address ceiling would block a whole city.
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=1 if BEHIND_TLS_PROXY else 0)
OPORA_INTAKE_PER_CONTACT_PER_HOUR = env.int("OPORA_INTAKE_PER_CONTACT_PER_HOUR", default=5)
OPORA_INTAKE_PER_IP_PER_HOUR = env.int("OPORA_INTAKE_PER_IP_PER_HOUR", default=300)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
