"""``tirage backup`` / ``tirage restore``: the database and the documents, together, on either engine."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

import tirage.applications
from tests.applications.online import open_call
from tests.factories import applicant
from tirage.applications.models import Application
from tirage.applications.services import submit_application
from tirage.ops.backup import BackupError, read_manifest, restore_backup

pytestmark = pytest.mark.django_db(transaction=True)


def write_document(relative: str, text: str) -> Path:
    path = Path(settings.DOCUMENTS_DIR) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def backup(tmp_path) -> Path:
    archive = tmp_path / "sauvegarde.tar.gz"
    out = io.StringIO()
    call_command("backup", "--output", str(archive), stdout=out)
    assert f"Sauvegarde écrite : {archive}" in out.getvalue()
    return archive


def test_restore_brings_back_the_database_and_the_documents(tmp_path):
    call = open_call()
    kept = submit_application(call, applicant(family_name="Gardée")).application
    letter = write_document("courriers/lot-1.pdf", "le courrier d'origine")
    archive = backup(tmp_path)
    assert archive.stat().st_mode & 0o777 == 0o600  # personal data: owner only

    manifest = read_manifest(archive)
    assert manifest["engine"] == (
        "sqlite" if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") else "postgresql"
    )
    assert "documents/courriers/lot-1.pdf" in manifest["files"]
    migrations = Path(tirage.applications.__file__).parent / "migrations"
    assert manifest["migrations"]["applications"] == max(p.stem for p in migrations.glob("0*.py"))

    # Afterwards: one application more, one less, a document changed.
    submit_application(call, applicant(family_name="Ajoutée"))
    Application.objects.filter(pk=kept.pk).delete()
    letter.write_text("modifié")

    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)
    assert list(Application.objects.values_list("family_name", flat=True)) == ["Gardée"]
    assert letter.read_text() == "le courrier d'origine"
    aside = next(Path(settings.DATA_DIR).glob("documents.avant-restauration-*"))
    assert (aside / "courriers" / "lot-1.pdf").read_text() == "modifié"  # nothing lost
    assert "Base de données et 1 fichiers restaurés ; base migrée." in out.getvalue()


def test_a_damaged_archive_is_refused_before_anything_changes(tmp_path):
    call = open_call()
    submit_application(call, applicant())
    write_document("a.txt", "a")
    archive = backup(tmp_path)
    damaged = tmp_path / "abimee.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(damaged, "w:gz") as target:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == "documents/a.txt":
                data = b"b"
            target.addfile(member, io.BytesIO(data))
    Application.objects.all().delete()
    with pytest.raises(CommandError, match="Fichier altéré dans l'archive : documents/a.txt"):
        call_command("restore", str(damaged), "--yes")
    assert Application.objects.count() == 0  # untouched


def test_an_archive_of_the_other_engine_is_refused(tmp_path):
    open_call()
    archive = backup(tmp_path)
    other = tmp_path / "autre.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(other, "w:gz") as target:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["engine"] = "mysql"
                data = json.dumps(manifest).encode()
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(BackupError, match="Cette sauvegarde vient d'une base mysql"):
        restore_backup(other)


def test_restore_asks_before_replacing_everything(tmp_path, monkeypatch):
    open_call()
    archive = backup(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: no question possible
    with pytest.raises(CommandError, match="ajoutez --yes"):
        call_command("restore", str(archive))


def test_not_an_archive(tmp_path):
    bogus = tmp_path / "x.tar.gz"
    bogus.write_text("bonjour")
    with pytest.raises(CommandError, match="n'est pas une sauvegarde Tirage lisible"):
        call_command("restore", str(bogus), "--yes")
