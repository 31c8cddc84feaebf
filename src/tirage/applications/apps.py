from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "tirage.applications"
    label = "applications"

    def ready(self) -> None:
        # Imported here: the shell's roles read models, loaded once the registry is ready.
        from tirage.applications import flood, spreadsheet_views
        from tirage.backoffice.navigation import NavEntry, register
        from tirage.backoffice.roles import ALL_STAFF, COORDINATOR, PERSONAL_DATA
        from tirage.ops import housekeeping  # here too: the jobs below read models

        housekeeping.register("form_counters", flood.purge)
        housekeeping.register("pending_imports", spreadsheet_views.forget_old_pending)

        register(
            NavEntry("Tableau de bord", "applications_staff:dashboard", ALL_STAFF, order=10),
            NavEntry(
                "Candidatures",
                "applications_staff:list",
                PERSONAL_DATA,
                order=20,
                also=("applications_staff:detail",),
            ),
            NavEntry(
                "Saisie au guichet",
                "applications_staff:counter",
                PERSONAL_DATA,
                order=30,
                also=("applications_staff:receipt",),
            ),
            NavEntry("Importer", "applications_staff:import", PERSONAL_DATA, order=40),
            NavEntry("Exporter", "applications_staff:export", (COORDINATOR,), order=50),
            NavEntry(
                "Rafales du formulaire", "applications_staff:bursts", (COORDINATOR,), order=85
            ),
            NavEntry("Formulaire papier (PDF)", "applications:paper_form", ALL_STAFF, order=90),
        )
