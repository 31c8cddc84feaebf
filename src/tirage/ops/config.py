"""Configuration read by ``settings.py``: the secret key and the mailer URL.

Pure Python (no Django import): ``settings.py`` calls these at import time.
Errors are ``ValueError`` with a message naming the variable; ``settings.py``
turns them into ``ImproperlyConfigured`` so that no process starts half-configured.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

# Keys that are public (the former development default) or Django's placeholder prefix.
KNOWN_INSECURE_KEYS = frozenset({"insecure-dev-key-change-me-in-production-0123456789"})
MIN_KEY_LENGTH = 50
MIN_KEY_UNIQUE_CHARACTERS = 5
KEY_FILE_NAME = "secret_key"

CONSOLE = "django.core.mail.backends.console.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"
MAIL_BACKENDS = {
    "console": CONSOLE,
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
SMTP_SCHEMES = {"smtp": {}, "smtp+tls": {"use_tls": True}, "smtp+ssl": {"use_ssl": True}}
SMTP_SCHEMES["smtps"] = SMTP_SCHEMES["smtp+ssl"]
DEFAULT_SMTP_TIMEOUT = 10.0  # seconds: a dead relay must not hold a worker for minutes


def insecure_key_reason(key: str) -> str:
    """Why ``key`` is not a real secret key (``""`` when it is one)."""
    if key in KNOWN_INSECURE_KEYS or key.startswith("django-insecure"):
        return "c'est une clé publique (celle d'exemple)"
    if len(key) < MIN_KEY_LENGTH:
        return f"elle fait {len(key)} caractères, il en faut au moins {MIN_KEY_LENGTH}"
    if len(set(key)) < MIN_KEY_UNIQUE_CHARACTERS:
        return f"elle a moins de {MIN_KEY_UNIQUE_CHARACTERS} caractères différents"
    return ""


def secret_key(explicit: str, data_dir: Path, *, debug: bool = False) -> tuple[str, str]:
    """The secret key and where it comes from (``"environment"`` or the key file's path).

    ``explicit`` (``TIRAGE_SECRET_KEY``) must be a real key, else ``ValueError``
    (``debug`` lets a development key through).
    Without it, the key is read from ``data_dir/secret_key``, created on first use
    with 50 random characters (mode 0600): one machine then needs no setting, and
    no two installations share a key. Several machines must share
    ``TIRAGE_SECRET_KEY`` instead (a system check says so on PostgreSQL).
    """
    if explicit:
        reason = insecure_key_reason(explicit)
        if reason and not debug:
            raise ValueError(f"TIRAGE_SECRET_KEY n'est pas une vraie clé secrète : {reason}.")
        return explicit, "environment"
    path = data_dir / KEY_FILE_NAME
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting together write one key, the other reads it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
    except OSError as exc:
        raise ValueError(
            f"TIRAGE_SECRET_KEY n'est pas défini et la clé ne peut pas être créée dans {path} : "
            f"{exc.strerror}."
        ) from exc
    else:
        key = secrets.token_urlsafe(48)  # 64 characters
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(key + "\n")
    reason = insecure_key_reason(key)
    if reason:
        raise ValueError(f"La clé secrète de {path} n'est pas valable : {reason}.")
    return key, str(path)


def mailer_from_url(url: str) -> dict:
    """A Django 6.1 ``MAILERS`` entry from a URL.

    * ``smtp://user:password@host:25``, ``smtp+tls://…:587`` (STARTTLS),
      ``smtp+ssl://…:465`` or ``smtps://…`` (TLS from the start);
      query: ``timeout`` (seconds, default 10). User and password are
      percent-decoded (``%40`` for ``@``).
    * ``console:`` (printed), ``file:///path/to/dir`` (one file per message),
      ``locmem:`` (kept in memory, tests) and ``dummy:`` (dropped).

    Raises ``ValueError`` naming what is wrong.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme in MAIL_BACKENDS:
        config: dict = {"BACKEND": MAIL_BACKENDS[scheme]}
        if scheme == "file":
            if not parts.path:
                raise ValueError("TIRAGE_EMAIL_URL : file:// doit donner un dossier (file:///…).")
            config["OPTIONS"] = {"file_path": unquote(parts.path)}
        return config
    if scheme not in SMTP_SCHEMES:
        known = ", ".join(sorted([*SMTP_SCHEMES, *MAIL_BACKENDS]))
        raise ValueError(f"TIRAGE_EMAIL_URL : schéma « {scheme} » inconnu (connus : {known}).")
    if not parts.hostname:
        raise ValueError("TIRAGE_EMAIL_URL : le nom du serveur SMTP manque (smtp://serveur:port).")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(
            "TIRAGE_EMAIL_URL : le port n'est pas un nombre entre 0 et 65535."
        ) from exc
    query = parse_qs(parts.query)
    unknown = set(query) - {"timeout"}
    if unknown:
        raise ValueError(f"TIRAGE_EMAIL_URL : paramètre inconnu « {sorted(unknown)[0]} ».")
    try:
        timeout = float(query.get("timeout", [DEFAULT_SMTP_TIMEOUT])[0])
    except ValueError as exc:
        raise ValueError("TIRAGE_EMAIL_URL : timeout doit être un nombre de secondes.") from exc
    options: dict = {"host": parts.hostname, "timeout": timeout, **SMTP_SCHEMES[scheme]}
    if port is not None:
        options["port"] = port
    if parts.username:
        options["username"] = unquote(parts.username)
        options["password"] = unquote(parts.password or "")
    return {"BACKEND": SMTP, "OPTIONS": options}
