from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tirage.accounts"
    label = "tirage_accounts"
    verbose_name = "Connexion du personnel"

    def ready(self) -> None:
        from tirage.accounts import checks  # noqa: F401 - registers the system checks
