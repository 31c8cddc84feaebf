"""Fetch a published file from an allowed URL, with a bounded wait and size.

Tirage fetches a dataset only to verify it, and only from URL prefixes staff configured
(``settings.OPENDATA_FETCH_ALLOWED_PREFIXES``; empty means no fetching at all: staff
upload the file instead). A fetch gives up once ``timeout`` seconds have passed in total
(connect, headers and body together; a read already waiting may overrun by at most the time
left when the request started, so the worst case is under twice ``timeout``) and never keeps more than ``max_bytes`` bytes: an
announced ``Content-Length`` above the limit is refused before the body is read, and a
body that streams past it is cut at the limit. Redirects are followed by hand (at most
:data:`MAX_REDIRECTS`) and each target must be allowed too.

Failures raise :class:`FetchError` whose ``message`` is French and says what happened
(HTTP status, seconds waited, size announced or read); ``code`` is one of
``not_allowed``, ``http_status``, ``timeout``, ``too_large``, ``connection``,
``too_many_redirects``.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings

MAX_REDIRECTS = 3
CHUNK = 64 * 1024
USER_AGENT = "Tirage (verification de donnees ouvertes)"


class FetchError(Exception):
    """The file could not be fetched; ``message`` (French) says why, ``code`` how."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched file: the final URL (after redirects), its bytes, type and SHA-256."""

    url: str
    content: bytes
    content_type: str
    sha256: str

    @property
    def byte_count(self) -> int:
        return len(self.content)


def human_size(byte_count: int) -> str:
    """``2147483648`` → « 2 Go »; ``1536`` → « 1,5 ko » (decimal-comma, powers of 1024)."""
    size = float(byte_count)
    for unit in ("octets", "ko", "Mo", "Go"):
        if size < 1024 or unit == "Go":
            text = f"{size:.1f}".rstrip("0").rstrip(".").replace(".", ",")
            return f"{text} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def is_allowed(url: str, prefixes: list[str] | tuple[str, ...] | None = None) -> bool:
    """Whether ``url`` is http(s), has no user:password part and starts with an allowed prefix.

    A prefix matches on scheme, host and port exactly and on the path from its start
    (``https://data.example/fr/`` allows ``https://data.example/fr/x.csv``, not
    ``https://data.example.evil/``).
    """
    prefixes = settings.OPENDATA_FETCH_ALLOWED_PREFIXES if prefixes is None else prefixes
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return False
    for prefix in prefixes:
        allowed = urlsplit(prefix)
        if (parts.scheme, parts.netloc.lower()) != (allowed.scheme, allowed.netloc.lower()):
            continue
        if parts.path.startswith(allowed.path or "/") or (allowed.path in ("", "/")):
            return True
    return False


def fetch(
    url: str,
    *,
    allowed: list[str] | tuple[str, ...] | None = None,
    timeout: float | None = None,
    max_bytes: int | None = None,
) -> Fetched:
    """GET ``url`` within the limits (defaults from settings); returns a :class:`Fetched`.

    Raises :class:`FetchError` when the URL is not allowed, the server answers an error
    status, the total wait exceeds ``timeout`` seconds, the file exceeds ``max_bytes``, or
    the connection fails.
    """
    allowed = settings.OPENDATA_FETCH_ALLOWED_PREFIXES if allowed is None else allowed
    timeout = settings.OPENDATA_FETCH_TIMEOUT if timeout is None else timeout
    max_bytes = settings.OPENDATA_FETCH_MAX_BYTES if max_bytes is None else max_bytes
    if not allowed:
        raise FetchError(
            "not_allowed",
            "La vérification en ligne n'est pas configurée (aucune adresse autorisée) : "
            "déposez le fichier à la place.",
        )
    deadline = time.monotonic() + timeout
    current = url
    with requests.Session() as session:
        session.trust_env = False  # no proxy or netrc from the environment
        for _ in range(MAX_REDIRECTS + 1):
            if not is_allowed(current, allowed):
                raise FetchError(
                    "not_allowed",
                    f"L'adresse {current} n'est pas dans la liste des sites autorisés pour la "
                    "vérification.",
                )
            response = _get(session, current, deadline, timeout)
            if response.is_redirect and response.headers.get("Location"):
                current = urljoin(current, response.headers["Location"])
                response.close()
                continue
            with response:
                return _read(response, current, deadline, timeout, max_bytes)
    raise FetchError(
        "too_many_redirects",
        f"Trop de redirections (plus de {MAX_REDIRECTS}) depuis {url}.",
    )


def _timeout_error(url: str, timeout: float) -> FetchError:
    seconds = f"{timeout:g}".replace(".", ",")
    return FetchError(
        "timeout",
        f"Le serveur n'a pas envoyé le fichier {url} en {seconds} s : vérification abandonnée.",
    )


def _get(session: requests.Session, url: str, deadline: float, timeout: float):
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _timeout_error(url, timeout)
    try:
        return session.get(
            url,
            stream=True,
            allow_redirects=False,
            timeout=(remaining, remaining),
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
        )
    except requests.Timeout as exc:
        raise _timeout_error(url, timeout) from exc
    except requests.RequestException as exc:
        raise FetchError(
            "connection", f"Connexion impossible à {url} ({exc.__class__.__name__})."
        ) from exc


def _read(response, url: str, deadline: float, timeout: float, max_bytes: int) -> Fetched:
    if response.status_code >= 400:
        reason = response.reason or ""
        raise FetchError(
            "http_status",
            f"Le serveur a répondu {response.status_code} {reason}".rstrip()
            + f" pour {url} : le fichier n'est pas à cette adresse.",
        )
    announced = response.headers.get("Content-Length", "")
    if announced.isdigit() and int(announced) > max_bytes:
        raise FetchError(
            "too_large",
            f"Le fichier annonce {human_size(int(announced))}, au-delà de la limite de "
            f"{human_size(max_bytes)} : il n'a pas été téléchargé.",
        )
    digest = hashlib.sha256()
    parts: list[bytes] = []
    total = 0
    raw = response.raw
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _timeout_error(url, timeout)
            # read1 returns what one socket read gives (each bounded by the read timeout),
            # so a slow trickle is stopped at the deadline, not after a full chunk.
            chunk = raw.read1(CHUNK)
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                raise FetchError(
                    "too_large",
                    f"Le fichier dépasse la limite de {human_size(max_bytes)} : téléchargement "
                    "arrêté.",
                )
            digest.update(chunk)
            parts.append(chunk)
    except (requests.Timeout, TimeoutError) as exc:
        raise _timeout_error(url, timeout) from exc
    except OSError as exc:
        if "timed out" in str(exc):
            raise _timeout_error(url, timeout) from exc
        raise FetchError("connection", f"Connexion interrompue avec {url}.") from exc
    return Fetched(
        url=url,
        content=b"".join(parts),
        content_type=response.headers.get("Content-Type", "").split(";")[0].strip().lower(),
        sha256=digest.hexdigest(),
    )
