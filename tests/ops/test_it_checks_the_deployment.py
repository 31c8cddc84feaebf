"""``tirage check --deploy`` with production variables is clean; without them it says what is missing.

Run as a separate process: settings are read once, at start-up, from the environment.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PRODUCTION = {
    "TIRAGE_SECRET_KEY": "k" * 20 + "Zr4-vT9_qLm2Xw8pNc5bYh7Jd3Fs6Ag1Ke0",
    "TIRAGE_ALLOWED_HOSTS": "tirage.ville.example.fr",
    "TIRAGE_HTTPS": "1",
    "TIRAGE_EMAIL_URL": "smtp+tls://cln:secret@smtp.ville.example.fr:587",
    "TIRAGE_FROM_EMAIL": "conseil-numerique@roubaix.fr",
}


def tirage(*args: str, tmp_path, **variables: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        # Not the test run's own settings (DJANGO_ALLOW_ASYNC_UNSAFE is set for Playwright).
        if not key.startswith(("TIRAGE_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(TIRAGE_DATA_DIR=str(tmp_path / "var"), **variables)
    return subprocess.run(
        [sys.executable, "-m", "tirage", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "database",
    [{}, {"DATABASE_URL": "postgres://tirage:s3cret@db.ville.example.fr:5432/tirage"}],
    ids=["sqlite", "postgresql"],
)
def test_production_variables_pass_the_deploy_check(tmp_path, database):
    result = tirage(
        "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **PRODUCTION, **database
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_without_them_the_deploy_check_fails_and_says_why(tmp_path):
    result = tirage("check", "--deploy", tmp_path=tmp_path)
    assert result.returncode == 1
    for problem in ("mail.E001", "tirage.E002", "security.W004", "security.W008"):
        assert problem in result.stderr


@pytest.mark.parametrize(
    "variables, message",
    [
        (
            {"TIRAGE_SECRET_KEY": "changeme"},
            "TIRAGE_SECRET_KEY n'est pas une vraie clé secrète : elle fait 8 caractères, "
            "il en faut au moins 50.",
        ),
        (
            {"TIRAGE_SECRET_KEY": "insecure-dev-key-change-me-in-production-0123456789"},
            "c'est une clé publique",
        ),
        ({"TIRAGE_EMAIL_URL": "smtp://"}, "le nom du serveur SMTP manque"),
        ({"TIRAGE_EMAIL_BACKEND": "x"}, "TIRAGE_EMAIL_BACKEND est remplacé par TIRAGE_EMAIL_URL"),
        ({"TIRAGE_SESSION_HOURS": "huit"}, "TIRAGE_SESSION_HOURS doit être un nombre entier"),
        ({"TIRAGE_TWO_FACTOR_ROLES": "coordinateur"}, "rôle inconnu « coordinateur »"),
    ],
)
def test_a_bad_variable_stops_the_start_with_its_reason(tmp_path, variables, message):
    result = tirage("check", tmp_path=tmp_path, **variables)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_weak_key_is_accepted_in_debug_only(tmp_path):
    result = tirage("check", tmp_path=tmp_path, TIRAGE_SECRET_KEY="dev", TIRAGE_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_without_a_key_one_is_made_once_and_kept_private(tmp_path):
    assert tirage("check", tmp_path=tmp_path).returncode == 0
    key_file = tmp_path / "var" / "secret_key"
    key = key_file.read_text().strip()
    assert len(key) >= 50 and key_file.stat().st_mode & 0o777 == 0o600
    assert tirage("check", tmp_path=tmp_path).returncode == 0
    assert key_file.read_text().strip() == key
