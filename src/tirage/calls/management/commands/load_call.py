from django.core.management.base import BaseCommand, CommandError

from tirage.calls.callfile import CallFileError, load_call_file


class Command(BaseCommand):
    help = "Charge (ou met à jour) un appel à candidatures depuis un fichier TOML."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="fichier TOML (défaut : appel de Roubaix 2025)")

    def handle(self, *args, path=None, **options):
        try:
            call = load_call_file(path)
        except (CallFileError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Appel chargé : {call} ({call.slug})")
