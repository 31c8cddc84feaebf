from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "tirage.backoffice"
    label = "backoffice"
