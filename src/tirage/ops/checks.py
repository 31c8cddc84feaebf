"""System checks for production (``tirage check --deploy``).

Django's own ``mail.E001`` already refuses a mailer that prints or drops the
e-mails; these add what it cannot know: a sender address that no server will
accept, a password sent in clear, a per-machine secret key on a shared database.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

RESERVED_DOMAINS = ("example", "example.org", "example.com", "example.net", "invalid", "test")


@register(Tags.security, deploy=True)
def check_mail(app_configs=None, **kwargs) -> list[Error | Warning]:
    errors: list[Error | Warning] = []
    options = settings.MAILERS.get("default", {}).get("OPTIONS", {})
    local = options.get("host") in {"localhost", "127.0.0.1", "::1"}
    if (
        options.get("password")
        and not (options.get("use_tls") or options.get("use_ssl"))
        and not local
    ):
        errors.append(
            Warning(
                f"Le mot de passe SMTP part en clair vers {options['host']}.",
                hint="TIRAGE_EMAIL_URL=smtp+tls://… (STARTTLS, port 587) ou smtps://… (port 465).",
                id="tirage.W004",
            )
        )
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].lower().rstrip(">")
    if domain == "" or any(domain == d or domain.endswith("." + d) for d in RESERVED_DOMAINS):
        errors.append(
            Error(
                f"L'expéditeur des e-mails ({settings.DEFAULT_FROM_EMAIL}) est une adresse "
                "d'exemple : les messages seraient refusés ou classés comme indésirables.",
                hint="Définissez TIRAGE_FROM_EMAIL avec une adresse de la ville.",
                id="tirage.E002",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_secret_key_shared(app_configs=None, **kwargs) -> list[Warning]:
    source = getattr(settings, "SECRET_KEY_SOURCE", "environment")
    engine = settings.DATABASES["default"]["ENGINE"]
    if source != "environment" and engine != "django.db.backends.sqlite3":
        return [
            Warning(
                f"La clé secrète vient du fichier {source}, propre à cette machine : avec "
                "plusieurs machines, les sessions et les liens signés de l'une ne valent pas "
                "sur l'autre.",
                hint="Définissez la même TIRAGE_SECRET_KEY (50 caractères aléatoires) partout.",
                id="tirage.W003",
            )
        ]
    return []
