from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "tirage.opinions"
    verbose_name = "Consultations, avis et réponses de la Ville"
