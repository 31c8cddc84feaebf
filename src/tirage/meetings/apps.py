from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tirage.meetings"
    verbose_name = "Vie du conseil (réunions, présences, décisions)"

    def ready(self) -> None:
        # Imported here: the shell's roles read models, loaded once the registry is ready.
        from tirage.backoffice.navigation import NavEntry, register
        from tirage.backoffice.roles import COORDINATOR, COUNTER_AGENT

        register(
            NavEntry(
                "Réunions du conseil",
                "meetings_staff:meetings",
                (COORDINATOR, COUNTER_AGENT),
                order=75,
                section="meetings_staff",
            )
        )
