from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "tirage.letters"
    verbose_name = "Courriers"
