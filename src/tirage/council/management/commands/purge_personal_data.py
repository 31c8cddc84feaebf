"""``tirage purge_personal_data [--dry-run]``: retention of applicants' personal data (cron: monthly).

Example crontab line (first day of the month, 3:00):
    0 3 1 * *  cd /srv/tirage && TIRAGE_DATA_DIR=/srv/tirage/var .venv/bin/tirage purge_personal_data
"""

from django.core.management.base import BaseCommand

from tirage.council.retention import purge_personal_data


class Command(BaseCommand):
    help = (
        "Anonymise les candidatures non retenues une fois la durée de conservation écoulée "
        "(le tirage publié reste vérifiable)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="compter sans rien modifier")

    def handle(self, *args, dry_run: bool, **options):
        report = purge_personal_data(dry_run=dry_run)
        verb = "seraient anonymisées" if dry_run else "anonymisées"
        for slug, count in report.applications.items():
            self.stdout.write(f"{slug} : {count} candidature(s) {verb}")
        if not dry_run:
            self.stdout.write(f"{report.files} fichier(s) supprimé(s).")
        self.stdout.write(f"Total : {report.total}.")
