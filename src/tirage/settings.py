"""Django settings, read from environment variables.

``DATABASE_URL`` selects the database (SQLite file in ``TIRAGE_DATA_DIR`` by
default; ``postgres://…`` uses psycopg 3). ``TIRAGE_DATA_DIR`` (default ``./var``)
holds the SQLite database, uploaded files and generated documents.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("TIRAGE_DATA_DIR", str(Path.cwd() / "var"))).resolve()
MEDIA_ROOT = DATA_DIR / "media"
DOCUMENTS_DIR = DATA_DIR / "documents"
STATIC_ROOT = DATA_DIR / "static"
STATIC_URL = "/static/"
MEDIA_URL = "/media/"

DEBUG = env_bool("TIRAGE_DEBUG", False)
SECRET_KEY = env_str("TIRAGE_SECRET_KEY", "insecure-dev-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = env_list("TIRAGE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("TIRAGE_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "tirage.site",
    "tirage.audit",
    "tirage.geo",
    "tirage.calls",
    "tirage.applications",
    "tirage.backoffice",
    "tirage.draws",
    "tirage.council",
    "tirage.opendata",
    "tirage.letters",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "backoffice:login"
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

# Django 6.1 mailers; the console backend prints e-mails (set an SMTP backend in production).
MAILERS = {
    "default": {
        "BACKEND": env_str(
            "TIRAGE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("TIRAGE_FROM_EMAIL", "conseil-numerique@ville.example")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("TIRAGE_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Open data: verifying a published dataset fetches its file only from these URL prefixes
# (comma-separated, e.g. "https://www.data.gouv.fr/,https://opendata.ville.example/");
# empty: no fetching, staff upload the file instead. Bounded wait and size.
OPENDATA_FETCH_ALLOWED_PREFIXES = env_list("TIRAGE_OPENDATA_FETCH_ALLOWED")
OPENDATA_FETCH_TIMEOUT = float(env_str("TIRAGE_OPENDATA_FETCH_TIMEOUT", "20"))
OPENDATA_FETCH_MAX_BYTES = int(env_str("TIRAGE_OPENDATA_FETCH_MAX_BYTES", str(50 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("TIRAGE_LOG_LEVEL", "WARNING")},
}
