"""A worker beside the web server, for one machine (``tirage serve``, ``tirage demo``).

``tirage worker`` runs as a child process: started with the server, stopped
with it (SIGTERM: the running task ends first), started again if it dies.
A separate process keeps long tasks off the web server's threads; with
several web processes, run ``tirage serve --no-worker`` and workers of their own.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable

RESTART_DELAYS = (1, 5, 30)  # seconds before restarting a worker that died, then 30 s
STOP_TIMEOUT = 30  # seconds for the running task to end before the worker is killed


def _end_with_parent() -> None:
    """In the child: SIGTERM when the server dies, even killed (Linux ``PR_SET_PDEATHSIG``)."""
    if sys.platform.startswith("linux"):
        import ctypes  # here: only in the child, only on Linux

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG


class EmbeddedWorker:
    def __init__(self, *, write: Callable[[str], object] = print) -> None:
        self.write = write
        self.process: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None

    def _spawn(self) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "tirage", "worker", "--no-startup-delay"],
            env=os.environ.copy(),
            # Its own process group: a Ctrl-C reaches the server, which stops the worker in turn.
            start_new_session=True,
            preexec_fn=_end_with_parent,
        )

    def start(self) -> None:
        self.process = self._spawn()
        self._watcher = threading.Thread(target=self._watch, name="tirage-worker", daemon=True)
        self._watcher.start()
        self.write(f"Tâches en arrière-plan : un worker tourne (processus {self.process.pid}).")

    def _watch(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            assert self.process is not None
            code = self.process.wait()
            if self._stopping.is_set():
                return
            delay = RESTART_DELAYS[min(failures, len(RESTART_DELAYS) - 1)]
            failures += 1
            self.write(f"Le worker s'est arrêté (code {code}) ; redémarrage dans {delay} s.")
            if self._stopping.wait(delay):
                return
            self.process = self._spawn()

    def stop(self) -> None:
        self._stopping.set()
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
