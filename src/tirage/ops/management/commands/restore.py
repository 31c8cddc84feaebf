import sys
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tirage.ops.backup import BackupError, read_manifest, restore_backup

CONFIRM_WORD = "restaurer"


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde faite par « tirage backup » : remplace la base de données et "
        "les documents (les documents actuels sont mis de côté). Arrêtez d'abord le serveur "
        "et les workers."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="fichier .tar.gz de « tirage backup »")
        parser.add_argument("--yes", action="store_true", help="ne pas demander de confirmation")

    def handle(self, *args, archive, yes, **options):
        try:
            manifest = read_manifest(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Sauvegarde du {manifest['created_at']} (Tirage {manifest['tirage_version']}, "
            f"base {manifest['engine']}, {len(manifest['files']) - 1} fichiers) : vérifiée."
        )
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError("La restauration remplace toutes les données : ajoutez --yes.")
            answer = input(
                f"Toutes les données actuelles seront remplacées. Tapez « {CONFIRM_WORD} » : "
            )
            if answer.strip() != CONFIRM_WORD:
                raise CommandError("Restauration annulée : rien n'a changé.")
        try:
            report = restore_backup(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"Base de données et {report.files} fichiers restaurés ; base migrée.")
        for path in report.kept_aside:
            self.stdout.write(
                f"Anciens fichiers mis de côté : {path} (à supprimer une fois vérifié)."
            )
