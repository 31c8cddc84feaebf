from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "tirage.ops"
    label = "tirage_ops"
    verbose_name = "Exploitation"

    def ready(self) -> None:
        from tirage.ops import checks  # noqa: F401 - registers the system checks
