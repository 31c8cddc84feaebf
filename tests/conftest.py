"""Shared fixtures.

Browser tests need Debian's Chromium; PostgreSQL-only tests need DATABASE_URL.
Outside CI they skip with a visible reason; in CI (``CI=true``) a missing
Chromium is an error, not a skip.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def chromium_path() -> str | None:
    explicit = os.environ.get("TIRAGE_CHROMIUM")
    if explicit:
        return explicit
    for candidate in CHROMIUM_CANDIDATES:
        if os.path.exists(candidate):
            return candidate
    return shutil.which("chromium")


def pytest_collection_modifyitems(config, items):
    if chromium_path():
        return
    in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    for item in items:
        # In CI the test runs anyway and fails loudly when it cannot start Chromium.
        if "browser" in item.keywords and not in_ci:
            item.add_marker(pytest.mark.skip(reason="Chromium not found (apt-get install chromium)"))


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, settings):
    """Every test writes generated files under its own temporary data dir."""
    settings.DATA_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = settings.DATA_DIR / "media"
    settings.DOCUMENTS_DIR = settings.DATA_DIR / "documents"
    settings.STATIC_ROOT = settings.DATA_DIR / "static"
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
