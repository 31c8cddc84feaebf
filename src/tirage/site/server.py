"""Serve Tirage with waitress (a production WSGI server), static files by WhiteNoise."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

from django.core.management import call_command

from tirage.ops.embedded import EmbeddedWorker

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_THREADS = 8
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def collect_static() -> None:
    """Copy, hash and compress the static files into ``STATIC_ROOT`` (idempotent)."""
    call_command("collectstatic", interactive=False, verbosity=0)


def _stop(signum, frame):
    raise KeyboardInterrupt


class _Deferred:
    """A WSGI callable whose application is set later: the socket is bound first."""

    application: Callable[..., Any] | None = None

    def __call__(self, environ, start_response):
        assert self.application is not None  # set before the server accepts requests
        return self.application(environ, start_response)


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    threads: int = DEFAULT_THREADS,
    *,
    write: Callable[[str], object] = print,
    worker: bool = True,
) -> None:
    """Serve ``tirage.wsgi.application`` with waitress until Ctrl-C (SIGINT) or SIGTERM.

    Binds the port first (``port=0`` picks a free one; ``OSError`` at once when
    it is taken), then collects the static files, then answers requests.
    ``worker``: run the background tasks in a child ``tirage worker`` meanwhile.
    """
    from waitress.server import create_server

    app = _Deferred()
    server = create_server(app, host=host, port=port, threads=threads)
    main = threading.current_thread() is threading.main_thread()  # signals: main thread only
    # SIGINT too: a shell starting ``tirage serve &`` hands it over ignored, and Ctrl-C
    # (or ``kill -INT``) must still stop the server.
    previous = {sig: signal.signal(sig, _stop) for sig in STOP_SIGNALS} if main else {}
    tasks = EmbeddedWorker(write=write) if worker else None
    try:
        collect_static()
        if tasks is not None:
            tasks.start()
        # Imported after collectstatic: WhiteNoise indexes STATIC_ROOT when the app is built.
        from tirage.wsgi import application

        app.application = application
        shown_host = f"[{host}]" if ":" in host else host
        write(f"Tirage est en ligne : http://{shown_host}:{server.effective_port}/")
        write("Arrêt : Ctrl-C.")
        sys.stdout.flush()
        server.run()  # returns on Ctrl-C (waitress catches KeyboardInterrupt itself)
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        if tasks is not None:
            tasks.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    write("Serveur arrêté.")
