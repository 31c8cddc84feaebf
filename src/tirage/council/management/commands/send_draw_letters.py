"""``tirage send_draw_letters [CALL_SLUG]``: the letters batch after the draw (selected, reserve, others)."""

from django.core.management.base import BaseCommand, CommandError

from tirage.calls.models import Call
from tirage.council.errors import CouncilError
from tirage.council.services.seat_letters import run_letters


class Command(BaseCommand):
    help = "Produit les courriers après le tirage et affiche le chemin du PDF à imprimer."

    def add_arguments(self, parser):
        parser.add_argument(
            "call", nargs="?", help="identifiant de l'appel (défaut : le plus récent)"
        )

    def handle(self, *args, call=None, **options):
        found = Call.objects.filter(slug=call).first() if call else Call.objects.current()
        if found is None:
            raise CommandError("Appel introuvable.")
        try:
            path = run_letters(found)
        except CouncilError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
