"""``tirage worker``: run the background tasks (e-mails…) queued in the database.

django-tasks-db's worker with Tirage's defaults: every queue, no autoreload.
Several workers, on one or several machines, share the queue safely (each
task is claimed under a row lock). Stop with Ctrl-C or SIGTERM: the running
task finishes first.
"""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from tirage.ops.housekeeping import ensure_scheduled


class Command(DbWorkerCommand):
    help = (
        "Exécute les tâches en attente (envoi des e-mails…) ; tourne jusqu'à Ctrl-C, "
        "ou s'arrête quand la file est vide avec --batch."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*", reload=False)

    def handle(self, *args, **options):
        if not options.get("batch"):
            # A lasting worker runs the hourly housekeeping (expired sessions, flood
            # counters, pending imports); --batch only drains what is queued.
            ensure_scheduled()
        return super().handle(*args, **options)
