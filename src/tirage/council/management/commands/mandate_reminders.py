"""``tirage mandate_reminders [--days 60]``: close ended mandates, send end-of-mandate letters (cron: weekly)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from tirage.council.services.mandates import close_ended_mandates
from tirage.council.services.renewals import mandate_reminders


class Command(BaseCommand):
    help = (
        "Produit les lettres de fin de mandat pour les membres dont le mandat se termine bientôt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=60, help="jours avant la fin du mandat (défaut : 60)"
        )

    def handle(self, *args, days: int, **options):
        closed = close_ended_mandates()
        if closed:
            self.stdout.write(f"{len(closed)} mandat(s) arrivé(s) à terme enregistré(s).")
        batch = mandate_reminders(days=days)
        if batch is None:
            self.stdout.write(f"Aucun mandat ne se termine dans les {days} jours.")
            return
        self.stdout.write(
            f"Lot #{batch.pk} : {batch.letters.count()} lettre(s), "
            f"{settings.DOCUMENTS_DIR / batch.merged_path}"
        )
