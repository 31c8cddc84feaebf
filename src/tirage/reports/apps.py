from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tirage.reports"
    verbose_name = "Rapport d'activité"

    def ready(self) -> None:
        # Imported here: the shell's roles read models, loaded once the registry is ready.
        from tirage.backoffice.navigation import NavEntry, register
        from tirage.backoffice.roles import COORDINATOR

        register(
            NavEntry(
                "Rapport annuel",
                "reports_staff:list",
                (COORDINATOR,),
                order=95,
                section="reports_staff",
            )
        )
