from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "tirage.opendata"
    verbose_name = "Données ouvertes"

    def ready(self) -> None:
        # Registers the public resources (tirage.opendata.registry); no query runs here.
        # Imported here: the shell's roles read models, loaded once the registry is ready.
        from tirage.backoffice.navigation import NavEntry, register
        from tirage.backoffice.roles import COORDINATOR, OBSERVER
        from tirage.opendata import resources  # noqa: F401

        register(
            NavEntry(
                "Données ouvertes",
                "opendata_staff:overview",
                (COORDINATOR, OBSERVER),
                order=85,
                section="opendata_staff",
            )
        )
