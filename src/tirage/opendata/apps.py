from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "tirage.opendata"
    verbose_name = "Données ouvertes"

    def ready(self) -> None:
        # Registers the public resources (tirage.opendata.registry); no query runs here.
        from tirage.opendata import resources  # noqa: F401
