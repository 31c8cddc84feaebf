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
            item.add_marker(
                pytest.mark.skip(reason="Chromium not found (apt-get install chromium)")
            )


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


@pytest.fixture(autouse=True)
def _form_limits(settings):
    """The test client and live servers speak from 127.0.0.1: a trusted network for the
    form's flood protection (no minimum fill time, no address limit), as a mairie's public
    computer; tests of the protection itself use another address."""
    settings.FORM_TRUSTED_NETWORKS = ["127.0.0.1/32"]


# -- browser fixtures (shared by every test directory) -----------------------

# Playwright's sync API runs an event loop in this thread; Django's ORM (used by
# the test itself alongside live_server) must be allowed here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def assert_no_axe_violations(axe, page) -> None:
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()


# -- staff sign-in -------------------------------------------------------------


@pytest.fixture(autouse=True)
def _force_login_with_second_factor(monkeypatch):
    """``Client.force_login`` opens a session as after both sign-in steps.

    For a user whose role needs a second factor, the user gets a confirmed app
    (TOTP device) and the session is marked verified with it, exactly as
    ``django_otp.login`` does after a right code: the real middleware then
    lets the session through. Tests of the sign-in itself use the login form.
    """
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from tirage.accounts.policy import must_verify

        if must_verify(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="tests", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


# -- roles: one set of accounts for every test (tests/roles.py) -------------------


@pytest.fixture
def coordinator(db):
    from tests.roles import make_staff
    from tirage.backoffice.roles import COORDINATOR

    return make_staff("coord", COORDINATOR)


@pytest.fixture
def observer(db):
    from tests.roles import make_staff
    from tirage.backoffice.roles import OBSERVER

    return make_staff("obs", OBSERVER)


@pytest.fixture
def agent_nord(call):
    """The counter agent of the mairie des quartiers Nord (needs the directory's ``call``)."""
    from tests.roles import make_staff
    from tirage.backoffice.roles import COUNTER_AGENT

    return make_staff("agent.nord", COUNTER_AGENT, "mdq-nord")


@pytest.fixture
def agent_sud(call):
    from tests.roles import make_staff
    from tirage.backoffice.roles import COUNTER_AGENT

    return make_staff("agent.sud", COUNTER_AGENT, "mdq-sud")


@pytest.fixture
def anonymous():
    """A client signed in as nobody."""
    from django.test import Client

    return Client()


@pytest.fixture
def as_user():
    """``as_user(user)`` → a test client signed in as ``user`` (``None``: anonymous)."""
    from django.test import Client

    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Test accounts need no slow key stretching (tests/accounts checks Argon2 itself)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# -- background tasks ------------------------------------------------------------


@pytest.fixture
def run_tasks():
    """``run_tasks()`` runs the real worker (``tirage worker --batch``) until the queue is empty.

    The worker checks its database connection between tasks as in production,
    which a test's enclosing transaction does not survive: tests that call it
    use ``django_db(transaction=True)``. Returns the queue's results, oldest first.
    """
    import signal

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    def run():
        # The worker installs its own SIGINT/SIGTERM handlers: give pytest's back.
        signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
        previous = {sig: signal.getsignal(sig) for sig in signals}
        try:
            call_command("worker", batch=True, startup_delay=False, verbosity=0)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return list(DBTaskResult.objects.order_by("enqueued_at"))

    return run


def queued(task) -> int:
    """How many runs of ``task`` wait in the queue."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(task_path=task.module_path).count()
