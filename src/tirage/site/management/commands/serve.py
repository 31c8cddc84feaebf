from django.core.management.base import BaseCommand, CommandError

from tirage.site.server import DEFAULT_HOST, DEFAULT_PORT, DEFAULT_THREADS, serve


class Command(BaseCommand):
    help = (
        "Sert Tirage avec waitress (fichiers statiques collectés et servis par WhiteNoise), "
        "avec un worker pour les tâches en arrière-plan."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--host", default=DEFAULT_HOST, help=f"adresse d'écoute (défaut : {DEFAULT_HOST})"
        )
        parser.add_argument(
            "--port", type=int, default=DEFAULT_PORT, help=f"port (défaut : {DEFAULT_PORT})"
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=DEFAULT_THREADS,
            help=f"fils de traitement (défaut : {DEFAULT_THREADS})",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="ne pas lancer de worker pour les tâches en arrière-plan "
            "(quand « tirage worker » tourne à part)",
        )

    def handle(self, *args, host, port, threads, no_worker, **options):
        try:
            serve(host, port, threads, write=self.stdout.write, worker=not no_worker)
        except OSError as exc:
            raise CommandError(f"Impossible d'écouter sur {host}:{port} : {exc}") from exc
