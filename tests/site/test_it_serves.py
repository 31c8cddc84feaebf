"""``tirage serve``: waitress answers, WhiteNoise serves the collected, hashed static files."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, timeout: float = 5):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, dict(response.headers), response.read()


@pytest.fixture
def server(tmp_path, request):
    """A ``tirage serve`` subprocess on a fresh SQLite database in ``tmp_path``.

    Indirect parameter ``True``: started with SIGINT ignored, as by ``tirage serve &``.
    """
    ignore_sigint = getattr(request, "param", False)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TIRAGE_PLAIN_STATIC"}}
    env.update(TIRAGE_DATA_DIR=str(tmp_path), PYTHONUNBUFFERED="1", TIRAGE_DEBUG="0")
    command = [sys.executable, "-m", "tirage"]
    subprocess.run([*command, "migrate", "--noinput"], env=env, check=True, capture_output=True)
    port = free_port()
    proc = subprocess.Popen(
        [*command, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        if ignore_sigint
        else None,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            get(base + "/", timeout=30)  # the port is bound before collectstatic ends
            break
        except urllib.error.HTTPError:
            raise  # the server answered: an error page is a failure, not a wait
        except OSError:  # refused, reset or timed out
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"tirage serve did not start:\n{proc.stdout.read()}")
            time.sleep(0.2)
    yield base, proc, tmp_path
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_waitress_serves_pages_and_hashed_static_files_until_ctrl_c(server):
    base, proc, data_dir = server
    status, _, body = get(base + "/")
    assert status == 200
    page = body.decode()
    assert '<html lang="fr">' in page
    # Every static file the page links to is served (hashed names in production).
    for link in re.findall(r'(?:href|src)="(/static/[^"]+)"', page):
        assert get(base + link)[0] == 200, link

    manifest = json.loads((data_dir / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["admin/css/base.css"]
    assert hashed != "admin/css/base.css"
    status, headers, css = get(f"{base}/static/{hashed}")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    # WhiteNoise lets browsers keep hashed files for ever.
    assert "immutable" in headers.get("Cache-Control", "")
    assert b"body" in css

    with pytest.raises(urllib.error.HTTPError) as missing:
        get(f"{base}/static/admin/css/nothing-here.css")
    assert missing.value.code == 404

    # Ctrl-C stops it cleanly.
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, output
    assert f"Tirage est en ligne : {base}/" in output
    assert "Serveur arrêté." in output
    assert "Traceback" not in output


@pytest.mark.parametrize("server", [True], indirect=True)
def test_ctrl_c_stops_it_even_when_started_in_the_background(server):
    base, proc, _ = server
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, output
    assert "Serveur arrêté." in output


def test_a_busy_port_is_reported_at_once_in_french(settings, tmp_path):
    from django.core.management import CommandError, call_command

    settings.STATIC_ROOT = tmp_path / "static"

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(CommandError, match=f"Impossible d'écouter sur 127.0.0.1:{port}"):
            call_command("serve", "--port", str(port))
    # It failed before collecting the static files.
    assert not settings.STATIC_ROOT.exists()


def test_a_worker_runs_beside_the_server_and_stops_with_it(server):
    """A receipt queued in the server's database is sent by the embedded worker."""
    base, proc, data_dir = server
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(TIRAGE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="tirage.settings")
    enqueue = (
        "import django; django.setup()\n"
        "from tirage.applications.tasks import send_receipt\n"
        "print(send_receipt.enqueue(application_id=404).id)\n"
    )
    task_id = subprocess.run(
        [sys.executable, "-c", enqueue], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    status = (
        "import django; django.setup()\n"
        "from django_tasks_db.models import DBTaskResult\n"
        f"r = DBTaskResult.objects.get(id='{task_id}'); print(r.status, r.return_value)\n"
    )
    deadline = time.monotonic() + 30
    while True:
        done = subprocess.run(
            [sys.executable, "-c", status], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
        if done != "READY None" or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert done == "SUCCESSFUL nothing"  # no such application: nothing to send

    proc.send_signal(signal.SIGTERM)
    output, _ = proc.communicate(timeout=40)
    assert "Tâches en arrière-plan : un worker tourne (processus" in output
    worker_pid = int(re.search(r"un worker tourne \(processus (\d+)\)", output).group(1))
    with pytest.raises(ProcessLookupError):
        os.kill(worker_pid, 0)  # stopped with the server
    assert "Traceback" not in output
