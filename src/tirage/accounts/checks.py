from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

from tirage.accounts.policy import KEYS


@register()
def check_two_factor_roles(app_configs=None, **kwargs) -> list[Error]:
    unknown = [key for key in settings.TWO_FACTOR_ROLES if key not in KEYS]
    if unknown:
        return [
            Error(
                f"TIRAGE_TWO_FACTOR_ROLES : rôle inconnu « {unknown[0]} ».",
                hint=f"Rôles possibles : {', '.join(KEYS)} (séparés par des virgules).",
                id="tirage.E010",
            )
        ]
    return []
