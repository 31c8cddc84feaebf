"""A real HTTP server on 127.0.0.1 (a thread) serving the cases a catalogue URL can meet."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.aftermath import drawn_call

TWO_GB = 2 * 1024**3


class CatalogueServer:
    def __init__(self) -> None:
        self.files: dict[str, tuple[str, bytes]] = {}
        self.release = threading.Event()  # set at teardown: the "slow" handler stops waiting
        self.streamed_bytes = 0
        self.stream_stopped = threading.Event()
        self.requests: list[str] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def url(self, path: str) -> str:
        return self.base + path.lstrip("/")

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args):  # keep the test output clean
                pass

            def do_GET(self):
                path = self.path.lstrip("/")
                server.requests.append(path)
                if path in server.files:
                    content_type, body = server.files[path]
                    self.send_response(200)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                elif path == "lent.csv":
                    # Never answers until the test ends: the client must give up on its own.
                    server.release.wait(30)
                elif path == "annonce-2-go.csv":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/csv")
                    self.send_header("Content-Length", str(TWO_GB))
                    self.end_headers()
                    try:
                        for _ in range(TWO_GB // 65536):
                            self.wfile.write(b"x" * 65536)
                            server.streamed_bytes += 65536
                    except OSError:
                        pass
                    server.stream_stopped.set()
                elif path == "flux-2-go.csv":
                    # No Content-Length: the body ends when the connection closes.
                    self.send_response(200)
                    self.send_header("Content-Type", "text/csv")
                    self.end_headers()
                    try:
                        self.wfile.write(b"a,b\n")
                        for _ in range(TWO_GB // 65536):
                            self.wfile.write(b"1,2\n" * 16384)
                            server.streamed_bytes += 65536
                    except OSError:
                        pass
                    server.stream_stopped.set()
                elif path == "redirection":
                    self.send_response(302)
                    self.send_header("Location", "/ok.csv")
                    self.end_headers()
                elif path == "redirection-externe":
                    self.send_response(302)
                    self.send_header("Location", "http://donnees.example.invalid/x.csv")
                    self.end_headers()
                else:
                    self.send_response(404)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    self.wfile.write(b"not found")

        return Handler

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def catalogue(settings):
    server = CatalogueServer()
    server.start()
    settings.OPENDATA_FETCH_ALLOWED_PREFIXES = [server.base]
    settings.OPENDATA_FETCH_TIMEOUT = 0.5
    settings.OPENDATA_FETCH_MAX_BYTES = 1024 * 1024
    yield server
    server.stop()


@pytest.fixture
def drawn(db):
    return drawn_call()
