"""``tirage expire_replies``: close unanswered offers past their deadline and offer the seats (cron: daily)."""

from django.core.management.base import BaseCommand

from tirage.council.services.answers import expire_replies


class Command(BaseCommand):
    help = "Marque les propositions sans réponse après la date limite et propose les sièges à la liste complémentaire."

    def handle(self, *args, **options):
        expired = expire_replies()
        for offer in expired:
            nxt = getattr(offer, "replaced_by", None)
            self.stdout.write(
                f"{offer.receipt_code} : sans réponse → "
                + (f"proposé à {nxt.receipt_code}" if nxt else "aucun remplaçant possible")
            )
        self.stdout.write(f"{len(expired)} proposition(s) expirée(s).")
