from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "tirage.calls"
    label = "calls"
