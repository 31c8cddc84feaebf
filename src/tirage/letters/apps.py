from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "tirage.letters"
    verbose_name = "Courriers"

    def ready(self) -> None:
        # Imported here: the shell's roles read models, loaded once the registry is ready.
        from tirage.backoffice.navigation import NavEntry, register
        from tirage.backoffice.roles import COORDINATOR

        register(
            NavEntry(
                "Courriers",
                "letters_staff:batches",
                (COORDINATOR,),
                order=80,
                section="letters_staff",
            )
        )
