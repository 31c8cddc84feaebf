from django.apps import AppConfig


class DrawsConfig(AppConfig):
    name = "tirage.draws"
    label = "draws"

    def ready(self) -> None:
        # Imported here: the shell's roles read models, loaded once the registry is ready.
        from tirage.backoffice.navigation import NavEntry, register
        from tirage.backoffice.roles import COORDINATOR, OBSERVER

        register(
            NavEntry(
                "Tirage au sort",
                "draws_staff:overview",
                (COORDINATOR, OBSERVER),
                order=60,
                section="draws_staff",
            )
        )
