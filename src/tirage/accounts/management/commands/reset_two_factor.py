from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tirage.accounts.services import reset_two_factor


class Command(BaseCommand):
    help = (
        "Réinitialise la double authentification d'un compte (téléphone perdu) : "
        "l'application et les codes de secours sont supprimés ; à la prochaine connexion, "
        "la personne configure une nouvelle application."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="identifiant du compte")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Aucun compte « {username} ».")
        removed = reset_two_factor(user, actor_label="tirage reset_two_factor")
        self.stdout.write(
            f"Double authentification de « {username} » réinitialisée "
            f"({removed} appareil{'s' if removed > 1 else ''} supprimé{'s' if removed > 1 else ''})."
        )
