from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "tirage.opinions"
    verbose_name = "Consultations, avis et réponses de la Ville"

    def ready(self) -> None:
        # Imported here: the shell's roles read models, loaded once the registry is ready.
        from tirage.backoffice.navigation import NavEntry, register
        from tirage.backoffice.roles import COORDINATOR, COUNTER_AGENT, OBSERVER

        register(
            NavEntry(
                "Consultations et avis",
                "opinions_staff:overview",
                (COORDINATOR, OBSERVER, COUNTER_AGENT),
                order=85,
                section="opinions_staff",
            )
        )
