"""Which letter was sent about which seat or mandate (the letters app knows neither)."""

from __future__ import annotations

from django.db import models

from tirage.council.models.members import Member
from tirage.council.models.offers import Offer
from tirage.letters.models import Letter


class CouncilLetter(models.Model):
    """A letter about an offer (the seat offered, its reply code) or a member (end of mandate).

    Written in the same transaction as the letter itself (``generate_batch``'s
    ``on_stored``), so a letter about a seat is never without its link.
    """

    letter = models.OneToOneField(Letter, on_delete=models.PROTECT, related_name="+")
    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = "courrier du conseil"
        verbose_name_plural = "courriers du conseil"

    def __str__(self) -> str:
        return str(self.letter)
