from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tirage.demo"
    label = "demo"
    verbose_name = "Démonstration"
