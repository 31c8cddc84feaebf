from django.core.management.base import BaseCommand, CommandError

from tirage.calls.models import Call
from tirage.draws.flow import STEPS, run_flow
from tirage.draws.pool import FreezeError
from tirage.draws.services import DrawError


class Command(BaseCommand):
    help = (
        "Enchaîne les étapes du tirage (clore, geler, calculer, publier, tirer) pour un appel ; "
        "chaque étape déjà faite est conservée."
    )

    def add_arguments(self, parser):
        parser.add_argument("--call", help="slug de l'appel (défaut : l'appel en cours)")
        parser.add_argument("--until", choices=STEPS, default="results")
        parser.add_argument("--panels", type=int, default=1000, choices=[1000, 10000])
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--dice", type=int, nargs="+", metavar="D")
        group.add_argument("--seed")

    def handle(self, *args, **options):
        if options["call"]:
            call = Call.objects.filter(slug=options["call"]).first()
            if call is None:
                known = ", ".join(Call.objects.order_by("slug").values_list("slug", flat=True))
                raise CommandError(
                    f"Aucun appel « {options['call']} »"
                    + (
                        f" ; appels chargés : {known}."
                        if known
                        else " : chargez-en un (tirage load_call)."
                    )
                )
        else:
            call = Call.objects.current()
        if call is None:
            raise CommandError("Aucun appel : chargez-en un (tirage load_call).")
        try:
            files = run_flow(
                call,
                until=options["until"],
                dice=options["dice"],
                seed=options["seed"],
                panels=options["panels"],
                strict=True,
            )
        except (DrawError, FreezeError) as exc:
            raise CommandError(str(exc)) from exc
        for name, path in files.items():
            self.stdout.write(f"{name}: {path}")
