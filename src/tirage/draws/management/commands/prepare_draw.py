from django.core.management.base import BaseCommand, CommandError

from tirage.draws.models import Draw
from tirage.draws.services import DrawError, prepare_draw


class Command(BaseCommand):
    help = "Calcule la loterie d'un tirage en attente (LEXIMIN, arrondi à m panels, bundle)."

    def add_arguments(self, parser):
        parser.add_argument("draw_id", type=int)

    def handle(self, *args, draw_id, **options):
        try:
            draw = prepare_draw(draw_id)
        except (Draw.DoesNotExist, DrawError) as exc:
            raise CommandError(str(exc)) from exc
        if draw.status == Draw.Status.FAILED:
            raise CommandError(f"Échec du calcul : {draw.error}")
        self.stdout.write(f"Loterie calculée, engagement {draw.commitment}")
