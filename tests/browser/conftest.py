"""Browser fixtures live in tests/conftest.py (one Chromium for the whole session)."""

from tests.conftest import assert_no_axe_violations, chromium_path  # noqa: F401
