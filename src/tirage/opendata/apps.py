from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "tirage.opendata"
    verbose_name = "Données ouvertes"
