from django.apps import AppConfig


class CouncilConfig(AppConfig):
    name = "tirage.council"
    verbose_name = "Conseil et mandats"

    def ready(self) -> None:
        # Imported here: the shell's roles read models, loaded once the registry is ready.
        from tirage.backoffice.navigation import NavEntry, register
        from tirage.backoffice.roles import COORDINATOR

        register(
            NavEntry(
                "Réponses et mandats",
                "council_staff:overview",
                (COORDINATOR,),
                order=70,
                section="council_staff",
            )
        )
