"""Django settings, read from environment variables.

``DATABASE_URL`` selects the database (SQLite file in ``TIRAGE_DATA_DIR`` by
default; ``postgres://…`` uses psycopg 3). ``TIRAGE_DATA_DIR`` (default ``./var``)
holds the SQLite database, uploaded files and generated documents.
Every variable is listed in the README's configuration table.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from tirage.ops import config


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} doit être un nombre entier (reçu « {value} »)."
        ) from None


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("TIRAGE_DATA_DIR", str(Path.cwd() / "var"))).resolve()
MEDIA_ROOT = DATA_DIR / "media"
DOCUMENTS_DIR = DATA_DIR / "documents"
STATIC_ROOT = DATA_DIR / "static"
STATIC_URL = "/static/"
MEDIA_URL = "/media/"

DEBUG = env_bool("TIRAGE_DEBUG", False)
# Never a public default: TIRAGE_SECRET_KEY, or a random key kept in DATA_DIR (one machine).
try:
    SECRET_KEY, SECRET_KEY_SOURCE = config.secret_key(
        env_str("TIRAGE_SECRET_KEY"), DATA_DIR, debug=DEBUG
    )
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from None
ALLOWED_HOSTS = env_list("TIRAGE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("TIRAGE_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks_db",
    "tirage.ops",
    "tirage.accounts",
    "tirage.site",
    "tirage.audit",
    "tirage.geo",
    "tirage.calls",
    "tirage.applications",
    "tirage.backoffice",
    "tirage.draws",
    "tirage.council",
    "tirage.meetings",
    "tirage.opinions",
    "tirage.opendata",
    "tirage.reports",
    "tirage.letters",
    "tirage.demo",  # `tirage demo`: fictional data, apart from the product
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files stay cacheable, every other answer is no-store.
    "tirage.ops.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tirage.calls.middleware.current_call_once",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tirage.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers the lockout page for a locked-out login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tirage.urls"
WSGI_APPLICATION = "tirage.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'tirage.sqlite3'}"
if "DATABASE_URL" not in os.environ:
    # SQLite needs its folder; created here so that clone → run just works.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_sqlite))}
# Persistent connections (one per server thread): PostgreSQL is spared a TCP +
# authentication round trip per request; SQLite the opening of the file, the PRAGMAs and
# Django's registration of its SQL functions, about 4 ms of CPU per request, more than a
# whole /health/ answer (benchmarks/flow_cpu.py). Health checks drop a connection the
# server closed meanwhile (PostgreSQL).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("TIRAGE_DB_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while the worker writes; the busy timeout and
    # IMMEDIATE transactions avoid "database is locked" under concurrent submits.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = (
        {"NAME": str(DATA_DIR / "test.sqlite3")} if env_bool("TIRAGE_TEST_SQLITE_FILE") else {}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# -- staff authentication: lockout (django-axes), two factors (django-otp), Argon2 --------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2 first; older hashes still check and are upgraded at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AXES_FAILURE_LIMIT = env_int("TIRAGE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("TIRAGE_LOGIN_LOCKOUT_MINUTES", 15))
# Locked when one account, or one address, has too many failures (each on its own).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
# Reverse proxies in front of Tirage (0: none): the visitor's address is then
# read from X-Forwarded-For (tirage.ops.clientip), for lockouts and rate limits.
PROXY_COUNT = env_int("TIRAGE_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "tirage.ops.clientip.client_ip"
# Who must use a second factor: coordinator, agent, observer, admin (staff or superuser).
TWO_FACTOR_ROLES = env_list("TIRAGE_TWO_FACTOR_ROLES", "coordinator,admin")
OTP_TOTP_ISSUER = env_str("TIRAGE_TOTP_ISSUER", "Tirage")
# Sessions end when the browser closes, and at the latest after this many hours.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env_int("TIRAGE_SESSION_HOURS", 8) * 3600

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/gestion/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not env_bool("TIRAGE_PLAIN_STATIC")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# -- e-mail: Django 6.1 mailers from one URL (console: printed, the default) -------------
if "TIRAGE_EMAIL_BACKEND" in os.environ:
    raise ImproperlyConfigured(
        "TIRAGE_EMAIL_BACKEND est remplacé par TIRAGE_EMAIL_URL "
        "(ex. smtp+tls://utilisateur:motdepasse@serveur:587) : voir le README."
    )
EMAIL_URL = env_str("TIRAGE_EMAIL_URL", "console:")
try:
    MAILERS = {"default": config.mailer_from_url(EMAIL_URL)}
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from None
DEFAULT_FROM_EMAIL = env_str("TIRAGE_FROM_EMAIL", "conseil-numerique@ville.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# -- background tasks: Django's Tasks framework, queue in the database -------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A long task (draw preparation, a letters batch) writes a heartbeat this often (seconds);
# a run whose last heartbeat is older than TIRAGE_TASK_STALE_SECONDS is shown interrupted.
TASK_HEARTBEAT_SECONDS = float(env_str("TIRAGE_TASK_HEARTBEAT_SECONDS", "10"))
TASK_STALE_SECONDS = env_int("TIRAGE_TASK_STALE_SECONDS", 120)

# -- letters: who signs them (used when a call's letter settings are first created) --------
LETTER_SIGNATORY_NAME = env_str("TIRAGE_LETTER_SIGNATORY_NAME")
LETTER_SIGNATORY_TITLE = env_str("TIRAGE_LETTER_SIGNATORY_TITLE")

# Uploaded files written to disk (large imports) are readable by Tirage's user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# -- flood protection of the public form (tirage.applications.flood) ----------------------
FORM_MIN_SECONDS = env_int("TIRAGE_FORM_MIN_SECONDS", 5)  # step 1 posted sooner: sent back
FORM_IP_LIMIT = env_int("TIRAGE_FORM_IP_LIMIT", 20)  # accepted applications per address per hour
FORM_EMAIL_LIMIT = env_int("TIRAGE_FORM_EMAIL_LIMIT", 4)  # applications per e-mail per 24 h
FORM_RECEIPT_LIMIT = env_int("TIRAGE_FORM_RECEIPT_LIMIT", 3)  # receipt e-mails per address per 24 h
FORM_SESSION_LIMIT = env_int("TIRAGE_FORM_SESSION_LIMIT", 5)  # applications per browser session
# Public computers of the mairies, help desks (CIDR, comma-separated): no address limit,
# no minimum fill time (the honeypot, session and e-mail limits still apply).
FORM_TRUSTED_NETWORKS = env_list("TIRAGE_FORM_TRUSTED_NETWORKS")

# -- HTTP security: HTTPS, HSTS, CSP, cookies ----------------------------------------------
# TIRAGE_HTTPS=1 once the site is served over HTTPS (TIRAGE_SECURE_COOKIES=1 is the old name).
HTTPS = env_bool("TIRAGE_HTTPS", env_bool("TIRAGE_SECURE_COOKIES", False))
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # probes from the machine itself speak plain HTTP
SECURE_HSTS_SECONDS = env_int("TIRAGE_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("TIRAGE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("TIRAGE_HSTS_PRELOAD", False)
# Preloading binds the whole domain in every browser for months: the city's
# decision (TIRAGE_HSTS_PRELOAD=1), not a default; its reminder is silenced.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if PROXY_COUNT:
    # The reverse proxy terminates HTTPS and says so; trusted only when one is declared.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline script or style anywhere: every script and style sheet is a file of this site.
SECURE_CSP: dict[str, object] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if HTTPS:
    SECURE_CSP["upgrade-insecure-requests"] = True

# -- logs: one line per event, no traceback for an ordinary 400/403/404 -------------------
LOG_FORMAT = env_str("TIRAGE_LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"TIRAGE_LOG_FORMAT : « text » ou « json » (reçu « {LOG_FORMAT} »).")
# Open data: verifying a published dataset fetches its file only from these URL prefixes
# (comma-separated, e.g. "https://www.data.gouv.fr/,https://opendata.ville.example/");
# empty: no fetching, staff upload the file instead. Bounded wait and size.
OPENDATA_FETCH_ALLOWED_PREFIXES = env_list("TIRAGE_OPENDATA_FETCH_ALLOWED")
OPENDATA_FETCH_TIMEOUT = float(env_str("TIRAGE_OPENDATA_FETCH_TIMEOUT", "20"))
OPENDATA_FETCH_MAX_BYTES = int(env_str("TIRAGE_OPENDATA_FETCH_MAX_BYTES", str(50 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors": {"()": "tirage.ops.logs.ClientErrorFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "tirage.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["client_errors"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("TIRAGE_LOG_LEVEL", "WARNING")},
}

# -- members' space: sign-in links signed by django-sesame (tirage.council.space.links) ---
# The longest any ticket is accepted; each link or code has its own, shorter validity.
SESAME_MAX_AGE = dt.timedelta(days=31)
SESAME_PACKER = "sesame.packers.LongLongPacker"  # MemberLogin ids (BigAutoField), not users
SESAME_INVALIDATE_ON_PASSWORD_CHANGE = False  # a ticket is no user: its row says used/expired
