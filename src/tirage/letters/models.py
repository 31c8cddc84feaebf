"""Letters: templates (versioned), batches and the letters themselves.

Every letter sent is recorded with the exact template version used, the
rendered file and its SHA-256, so that anyone can later say what a person
received and prove the file was not changed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from tirage.applications.models import Application
from tirage.calls.models import Call
from tirage.letters.placeholders import PLACEHOLDERS, doubled_placeholders, unknown_placeholders


class Kind(models.TextChoices):
    SELECTED = "selected", "tiré au sort (coupon-réponse)"
    RESERVE = "reserve", "liste complémentaire"
    NOT_SELECTED = "not_selected", "non tiré au sort"
    REPLACEMENT = "replacement", "proposition de siège (remplacement)"
    MANDATE_END = "mandate_end", "fin de mandat et renouvellement"
    CONVOCATION = "convocation", "convocation à une réunion du conseil"
    ABSENCE = "absence", "absences répétées aux séances"


# Kinds whose letter carries a reply slip and a single-use reply code.
KINDS_WITH_REPLY = {Kind.SELECTED, Kind.REPLACEMENT}


class LetterSettings(models.Model):
    """Sender and signatory of a call's letters (one row per call; defaults for Roubaix)."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="letter_settings")
    sender_name = models.CharField("expéditeur", max_length=200, default="Ville de Roubaix")
    sender_service = models.CharField(
        "service", max_length=200, default="Démocratie participative — Conseil local du numérique"
    )
    sender_address = models.TextField(
        "adresse de l'expéditeur (une ligne par ligne)",
        default="Hôtel de Ville\nGrand'Place\nCS 70737\n59066 Roubaix Cedex 1",
    )
    signatory_name = models.CharField(
        "nom du ou de la signataire", max_length=200, default="Le Maire"
    )
    signatory_title = models.CharField(
        "qualité du ou de la signataire", max_length=200, default="Maire de Roubaix"
    )
    contact_phone = models.CharField(
        "téléphone de contact", max_length=30, blank=True, default="03 20 66 46 00"
    )
    reply_days = models.PositiveSmallIntegerField("délai de réponse (jours)", default=21)
    reserve_letter_count = models.PositiveSmallIntegerField(
        "lettres « liste complémentaire »",
        default=20,
        help_text="Nombre de personnes en tête de la liste complémentaire qui reçoivent la lettre « liste "
        "complémentaire » ; les suivantes reçoivent la lettre « non tiré au sort » (elles restent sur la "
        "liste). 0 : toute la liste.",
    )
    public_base_url = models.URLField(
        "adresse publique du site",
        default="https://tirage.ville-roubaix.fr",
        help_text="Imprimée sur les lettres : adresse courte de la page de réponse.",
    )
    footer = models.CharField(
        "pied de page",
        max_length=300,
        default="Ville de Roubaix — Hôtel de Ville, Grand'Place, 59100 Roubaix — www.ville-roubaix.fr",
    )

    class Meta:
        verbose_name = "réglages des courriers"
        verbose_name_plural = "réglages des courriers"

    def __str__(self) -> str:
        return f"Courriers — {self.call}"

    @property
    def sender_lines(self) -> list[str]:
        return [line.strip() for line in self.sender_address.splitlines() if line.strip()]

    @property
    def reply_url(self) -> str:
        return self.public_base_url.rstrip("/") + "/reponse"


class LetterTemplate(models.Model):
    """The text of one kind of letter for one call. Versioned: a change saves a new version."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="letter_templates")
    kind = models.CharField("type de lettre", max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField("version", default=1, editable=False)
    subject = models.CharField("objet", max_length=250)
    body = models.TextField(
        "texte",
        help_text="Un paragraphe par bloc (ligne vide entre deux paragraphes). Champs possibles : "
        + ", ".join("{" + name + "}" for name in PLACEHOLDERS),
    )
    created_at = models.DateTimeField("créée le", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["call", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "kind", "version"], name="one_letter_template_version"
            ),
        ]
        verbose_name = "modèle de lettre"
        verbose_name_plural = "modèles de lettres"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("a letter template version is never changed; save a new version")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = {}
        for field in ("subject", "body"):
            doubled = doubled_placeholders(getattr(self, field) or "")
            if doubled:
                errors[field] = (
                    "Accolades doublées : "
                    + ", ".join("{{" + n + "}} (écrivez {" + n + "})" for n in doubled)
                    + ". Un champ s'écrit avec une seule paire d'accolades."
                )
                continue
            unknown = unknown_placeholders(getattr(self, field) or "")
            if unknown:
                names = ", ".join("{" + n + "}" for n in unknown)
                errors[field] = (
                    f"Champ inconnu : {names}. Champs possibles : "
                    + ", ".join("{" + n + "}" for n in PLACEHOLDERS)
                    + "."
                )
        if errors:
            raise ValidationError(errors)


class Batch(models.Model):
    """Letters generated together: one merged PDF for the print room, one file per person."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="letter_batches")
    label = models.CharField("libellé", max_length=200)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    merged_path = models.CharField("fichier à imprimer", max_length=300, blank=True)
    merged_sha256 = models.CharField(max_length=64, blank=True)
    pages = models.PositiveIntegerField("pages", default=0)
    purged_at = models.DateTimeField("fichier fusionné supprimé le", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "lot de courriers"
        verbose_name_plural = "lots de courriers"

    def __str__(self) -> str:
        return f"Lot #{self.pk} — {self.label}"


class Letter(models.Model):
    """One letter sent to one applicant."""

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="letters")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="letters")
    receipt_code = models.CharField(max_length=12)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="letters")
    rendered_at = models.DateTimeField("produite le", default=timezone.now)
    emailed_at = models.DateTimeField("copie envoyée par courriel le", null=True, blank=True)
    email_error = models.CharField(max_length=300, blank=True)
    file_path = models.CharField("fichier", max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    pages = models.PositiveSmallIntegerField(default=1)
    first_page = models.PositiveIntegerField("première page dans le lot", default=1)

    class Meta:
        ordering = ["batch", "first_page"]
        verbose_name = "lettre"
        verbose_name_plural = "lettres"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.receipt_code}"
