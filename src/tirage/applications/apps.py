from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "tirage.applications"
    label = "applications"
