"""Backup and restore of the database *and* the documents, in one archive.

The archive (``.tar.gz``, mode 0600: it holds personal data) contains:

* ``manifest.json``: format, date, Tirage version, database engine, the last
  migration of each app, and the SHA-256 of every other member;
* ``database.sqlite3`` (SQLite's online backup API: consistent while the
  site runs) or ``database.dump`` (``pg_dump --format=custom``);
* ``documents/`` and ``media/`` from ``TIRAGE_DATA_DIR`` (letters, minutes,
  published bundles, uploads).

The database is copied first, then the files: the documents are written
once and never changed, so a document the copied database names is there.
Restoring checks every checksum before touching anything, replaces the
database, keeps the current files aside (``documents.avant-restauration-…``),
then migrates to the installed version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.dump"
FILE_DIRS = ("documents", "media")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in French."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    engine: str
    files: int  # documents and media
    size: int  # bytes of the archive


def _tirage_version() -> str:
    try:
        return version("tirage")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "inconnue"


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(
            f"Base de données « {vendor} » : seules SQLite et PostgreSQL sont prises en charge."
        )
    return vendor


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump / pg_restore (password not on the command line)."""
    db = settings.DATABASES["default"]
    env = os.environ.copy()
    given = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
    }
    env.update({variable: str(value) for variable, value in given.items() if value})
    return ["--dbname", str(db["NAME"])], env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(
            f"{command[0]} est introuvable : installez les outils clients de PostgreSQL "
            "(paquet postgresql-client) de la même version que le serveur."
        ) from exc
    if result.returncode != 0:
        raise BackupError(f"{what} a échoué : {result.stderr.strip()}")


def _dump_database(engine: str, workdir: Path) -> Path:
    if engine == "sqlite":
        target = workdir / SQLITE_MEMBER
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)  # a consistent copy, writers may go on
        copy.close()
        return target
    target = workdir / PG_MEMBER
    args, env = _pg_env()
    _run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target),
            *args,
        ],
        env,
        "pg_dump",
    )
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def create_backup(*, output: Path | None = None, now: dt.datetime | None = None) -> BackupReport:
    """Write the archive to ``output`` (default: ``DATA_DIR/sauvegardes/tirage-AAAAMMJJ-HHMMSS.tar.gz``).

    Raises ``BackupError`` (pg_dump missing or failing, unsupported database).
    """
    now = now or dt.datetime.now(dt.UTC)
    engine = _engine()
    data_dir = Path(settings.DATA_DIR)
    if output is None:
        output = data_dir / "sauvegardes" / f"tirage-{now:%Y%m%d-%H%M%S}.tar.gz"
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tirage-backup-") as tmp:
        database = _dump_database(engine, Path(tmp))
        members: dict[str, Path] = {database.name: database}
        for name in FILE_DIRS:
            root = data_dir / name
            if root.is_dir():
                for path in sorted(p for p in root.rglob("*") if p.is_file()):
                    members[path.relative_to(data_dir).as_posix()] = path
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "tirage_version": _tirage_version(),
            "engine": engine,
            "database": database.name,
            "migrations": _migrations(),
            "files": {name: _sha256(path) for name, path in members.items()},
        }
        partial = output.with_name(output.name + ".partiel")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                tar.add(path, arcname=name, recursive=False)
        partial.replace(output)  # never a half-written archive under the final name
    return BackupReport(output, engine, len(members) - 1, output.stat().st_size)


@dataclass(frozen=True)
class RestoreReport:
    created_at: str
    engine: str
    files: int
    kept_aside: list[Path]


def read_manifest(archive: Path) -> dict:
    """The archive's manifest, after checking every member against its SHA-256.

    Raises ``BackupError`` naming the first problem (not an archive, a file
    missing, altered or unexpected).
    """
    try:
        with tarfile.open(archive, "r:gz") as tar:
            manifest_file = tar.extractfile(MANIFEST)
            if manifest_file is None:
                raise KeyError(MANIFEST)
            manifest = json.load(manifest_file)
            expected = manifest["files"]
            seen = set()
            for member in tar:
                if member.name == MANIFEST or member.isdir():
                    continue
                if member.name not in expected:
                    raise BackupError(f"Fichier inattendu dans l'archive : {member.name}.")
                handle = tar.extractfile(member)
                digest = hashlib.sha256(handle.read() if handle else b"").hexdigest()
                if digest != expected[member.name]:
                    raise BackupError(f"Fichier altéré dans l'archive : {member.name}.")
                seen.add(member.name)
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(f"{archive} n'est pas une sauvegarde Tirage lisible ({exc}).") from exc
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"Fichier manquant dans l'archive : {missing[0]}.")
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"Format de sauvegarde {manifest.get('format')} inconnu (attendu : {FORMAT})."
        )
    return manifest


def restore_backup(archive: Path, *, now: dt.datetime | None = None) -> RestoreReport:
    """Replace the database and the documents by the archive's. Stop the server and workers first.

    Raises ``BackupError`` before any change when the archive is damaged or
    made for the other database engine.
    """
    now = now or dt.datetime.now(dt.UTC)
    manifest = read_manifest(archive)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(
            f"Cette sauvegarde vient d'une base {manifest['engine']} ; la base configurée est "
            f"{engine}. Restaurez-la sur le même type de base."
        )
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tirage-restore-", dir=data_dir) as tmp:
        staging = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(staging, filter="data")  # no path outside staging, no links out
        database = staging / manifest["database"]
        if engine == "sqlite":
            with sqlite3.connect(database) as source:
                connection.ensure_connection()
                source.backup(connection.connection)
            source.close()
        else:
            connection.close()
            args, env = _pg_env()
            _run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                 "--single-transaction", *args, str(database)],
                env, "pg_restore",
            )  # fmt: skip
        kept = []
        stamp = f"{now:%Y%m%d-%H%M%S}"
        for name in FILE_DIRS:
            current, restored = data_dir / name, staging / name
            if current.exists():
                aside = data_dir / f"{name}.avant-restauration-{stamp}"
                current.rename(aside)
                kept.append(aside)
            if restored.exists():
                shutil.move(restored, current)
    files = sum(1 for name in manifest["files"] if name.split("/", 1)[0] in FILE_DIRS)
    return RestoreReport(manifest["created_at"], engine, files, kept)
