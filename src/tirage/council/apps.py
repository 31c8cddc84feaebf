from django.apps import AppConfig


class CouncilConfig(AppConfig):
    name = "tirage.council"
    verbose_name = "Conseil et mandats"
