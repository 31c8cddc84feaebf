"""Serve Tirage with waitress (a production WSGI server), static files by WhiteNoise."""

from __future__ import annotations

import signal
from collections.abc import Callable

from django.core.management import call_command

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_THREADS = 8


def collect_static() -> None:
    """Copy, hash and compress the static files into ``STATIC_ROOT`` (idempotent)."""
    call_command("collectstatic", interactive=False, verbosity=0)


def _stop(signum, frame):
    raise KeyboardInterrupt


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    threads: int = DEFAULT_THREADS,
    *,
    write: Callable[[str], object] = print,
) -> None:
    """Collect the static files, then serve ``tirage.wsgi.application`` until Ctrl-C or SIGTERM.

    ``port=0`` picks a free port. Raises ``OSError`` when the port is taken.
    """
    collect_static()
    # Imported after collectstatic: WhiteNoise indexes STATIC_ROOT when the app is built.
    from waitress.server import create_server

    from tirage.wsgi import application

    server = create_server(application, host=host, port=port, threads=threads)
    shown_host = f"[{host}]" if ":" in host else host
    write(f"Tirage est en ligne : http://{shown_host}:{server.effective_port}/")
    write("Arrêt : Ctrl-C.")
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        server.run()  # returns on Ctrl-C (waitress catches KeyboardInterrupt itself)
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        signal.signal(signal.SIGTERM, previous)
    write("Serveur arrêté.")
