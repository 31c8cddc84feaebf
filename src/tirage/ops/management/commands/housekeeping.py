"""``tirage housekeeping``: run the housekeeping jobs once (the worker runs them hourly).

For a machine without a worker, a crontab line:
    17 * * * *  cd /srv/tirage && .venv/bin/tirage housekeeping
"""

from django.core.management.base import BaseCommand

from tirage.ops.housekeeping import run_jobs


class Command(BaseCommand):
    help = (
        "Nettoyage : sessions expirées (brouillons du formulaire), compteurs anti-abus, "
        "fichiers d'import en attente."
    )

    def handle(self, *args, **options):
        for name, result in run_jobs().items():
            self.stdout.write(f"{name} : {result}")
