"""Real worker processes (``tirage worker``) for the fault tests, on the test's PostgreSQL database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

from django.db import connection


class Worker:
    """A ``tirage worker`` child process in its own process group."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process

    def kill_group(self) -> None:
        """SIGKILL the worker and anything it started (the letters' layout processes)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def wait(self, timeout: float) -> int:
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill_group()
            raise


def worker_env(settings, *, heartbeat: float) -> dict[str, str]:
    """The environment of a worker on the test database, beating every ``heartbeat`` seconds."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TIRAGE_DATA_DIR": str(settings.DATA_DIR),
        "TIRAGE_TASK_HEARTBEAT_SECONDS": str(heartbeat),
    }


def start_worker(env: dict[str, str], *, batch: bool = False) -> Worker:
    argv = [sys.executable, "-m", "tirage", "worker", "--no-startup-delay", "--interval", "0.1"]
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [*argv, "--batch"] if batch else argv,
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    return Worker(process)


def wait_for(check: Callable[[], bool], *, timeout: float, what: Callable[[], str] | str) -> None:
    """Poll ``check`` every 20 ms until true; fails after ``timeout`` seconds saying ``what``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what() if callable(what) else what}")
