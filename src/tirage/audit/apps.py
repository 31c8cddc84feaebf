from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tirage.audit"
    label = "audit"
