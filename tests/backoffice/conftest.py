"""The staff shell's tests work on the call open today, like the staff pages they show."""

from tests.applications.staff.conftest import call, online_app, today  # noqa: F401 - fixtures
