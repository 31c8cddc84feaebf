"""``tirage open_next_call SOURCE NEW_SLUG --opens D --closes D --draw D [--seats N]``.

A new call for the seats that free up at the end of mandates: same council,
features, quotas and offices as SOURCE, new dates (Europe/Paris days).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tirage.calls.callfile import closing_datetime
from tirage.calls.models import PARIS, Call
from tirage.council.errors import CouncilError
from tirage.council.services.renewals import open_next_call


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"Date invalide « {text} » : écrivez AAAA-MM-JJ.") from exc


class Command(BaseCommand):
    help = "Ouvre un nouvel appel (mêmes critères et quotas) pour les sièges qui se libèrent."

    def add_arguments(self, parser):
        parser.add_argument("source", help="identifiant de l'appel à reprendre")
        parser.add_argument("slug", help="identifiant du nouvel appel")
        parser.add_argument("--opens", required=True, help="ouverture (AAAA-MM-JJ)")
        parser.add_argument(
            "--closes", required=True, help="dernier jour des candidatures (AAAA-MM-JJ)"
        )
        parser.add_argument("--draw", required=True, help="jour du tirage (AAAA-MM-JJ)")
        parser.add_argument(
            "--seats", type=int, help="sièges à pourvoir (défaut : comme l'appel repris)"
        )

    def handle(self, *args, source, slug, opens, closes, draw, seats=None, **options):
        call = Call.objects.filter(slug=source).first()
        if call is None:
            raise CommandError(f"Appel « {source} » introuvable.")
        opens_at = dt.datetime.combine(_day(opens), dt.time(0, 0), tzinfo=PARIS)
        try:
            new = open_next_call(
                call,
                slug=slug,
                opens_at=opens_at,
                closes_at=closing_datetime(_day(closes)),
                draw_date=_day(draw),
                seats=seats,
            )
        except CouncilError as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(m for ms in exc.message_dict.values() for m in ms)) from exc
        self.stdout.write(
            f"Appel « {new.slug} » créé : {new.seats} sièges, tirage le {new.draw_date:%d/%m/%Y}."
        )
