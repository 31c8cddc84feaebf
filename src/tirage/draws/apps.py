from django.apps import AppConfig


class DrawsConfig(AppConfig):
    name = "tirage.draws"
    label = "draws"
