"""Staff profile: which mairie de quartier a counter agent works at."""

from django.conf import settings
from django.db import models

from tirage.calls.models import Office


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.PROTECT, verbose_name="lieu de dépôt"
    )

    class Meta:
        verbose_name = "profil agent"
        verbose_name_plural = "profils agents"

    def __str__(self) -> str:
        return f"{self.user} — {self.office or 'tous lieux'}"
