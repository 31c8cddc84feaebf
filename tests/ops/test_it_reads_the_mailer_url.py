"""``TIRAGE_EMAIL_URL`` → Django 6.1 ``MAILERS`` entry."""

from __future__ import annotations

import pytest

from tirage.ops.config import mailer_from_url

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(
    "url, options",
    [
        (
            "smtp+tls://cln%40roubaix.fr:p%40ss%3Aword@smtp.roubaix.fr:587",
            {
                "host": "smtp.roubaix.fr",
                "port": 587,
                "use_tls": True,
                "username": "cln@roubaix.fr",
                "password": "p@ss:word",
                "timeout": 10.0,
            },
        ),
        (
            "smtps://relay.example.fr?timeout=3.5",
            {"host": "relay.example.fr", "use_ssl": True, "timeout": 3.5},
        ),
        ("smtp://localhost:25", {"host": "localhost", "port": 25, "timeout": 10.0}),
    ],
)
def test_smtp_urls(url, options):
    assert mailer_from_url(url) == {"BACKEND": SMTP, "OPTIONS": options}


def test_other_backends():
    assert mailer_from_url("console:")["BACKEND"].endswith("console.EmailBackend")
    assert mailer_from_url("file:///var/tmp/mails") == {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": "/var/tmp/mails"},
    }


@pytest.mark.parametrize(
    "url, message",
    [
        ("smpt://host", "schéma « smpt » inconnu"),
        ("smtp://:25", "le nom du serveur SMTP manque"),
        ("smtp://host:port", "le port n'est pas un nombre"),
        ("smtp://host?tls=1", "paramètre inconnu « tls »"),
        ("smtp://host?timeout=vite", "timeout doit être un nombre de secondes"),
        ("file://", "file:// doit donner un dossier"),
    ],
)
def test_mistakes_are_named(url, message):
    with pytest.raises(ValueError, match=message):
        mailer_from_url(url)
