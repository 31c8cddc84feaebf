from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tirage.ops.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Sauvegarde la base de données et les documents (courriers, procès-verbaux, fichiers "
        "publiés) dans une seule archive .tar.gz, lisible par son seul propriétaire."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            help="fichier à écrire (défaut : TIRAGE_DATA_DIR/sauvegardes/tirage-AAAAMMJJ-HHMMSS.tar.gz)",
        )

    def handle(self, *args, output, **options):
        try:
            report = create_backup(output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Sauvegarde écrite : {report.path} ({report.size / 1e6:.1f} Mo ; base {report.engine} "
            f"et {report.files} fichier{'s' if report.files > 1 else ''})."
        )
        self.stdout.write(
            "Elle contient des données personnelles : gardez-la en lieu sûr, chiffrée si elle "
            "quitte la machine."
        )
