"""The public draw: frozen pool → prepared lottery → commitment → ceremony → result.

Immutability is the point: a frozen pool, a committed bundle and a result are
never edited. A late correction means a new frozen pool; a redraw means a new
commitment, both publicly logged with their reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from tirage.applications.models import Application
from tirage.calls.models import Call
from tirage.ops.heartbeat import is_stale


class ImmutableError(Exception):
    """Raised when code tries to change something the draw protocol freezes."""


class FrozenPool(models.Model):
    """The eligible applications of a call at one moment, known publicly by receipt code."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="pools")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("motif", blank=True)
    size = models.PositiveIntegerField()
    # SHA-256 of the canonical JSON of [(receipt code, {feature: value})…] and the quotas.
    fingerprint = models.CharField(max_length=64)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "vivier gelé"
        verbose_name_plural = "viviers gelés"

    def __str__(self) -> str:
        return f"Vivier #{self.pk} ({self.size} candidatures, {self.fingerprint[:12]}…)"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("a frozen pool cannot be changed; freeze a new one")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("a frozen pool cannot be deleted")

    @property
    def is_current(self) -> bool:
        return not hasattr(self, "replaced_by")


class PoolMember(models.Model):
    pool = models.ForeignKey(FrozenPool, on_delete=models.PROTECT, related_name="members")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    receipt_code = models.CharField(max_length=12)
    values = models.JSONField()

    class Meta:
        ordering = ["receipt_code"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "receipt_code"], name="one_code_per_pool"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_code} (vivier #{self.pool_id})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("a frozen pool cannot be changed; freeze a new one")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("a frozen pool cannot be deleted")


class Draw(models.Model):
    """One lottery computed on a frozen pool, then committed, then drawn (once)."""

    class Status(models.TextChoices):
        PENDING = "pending", "en attente de calcul"
        RUNNING = "running", "calcul en cours"
        PREPARED = "prepared", "loterie calculée"
        FAILED = "failed", "échec du calcul"
        COMMITTED = "committed", "engagement publié"
        DRAWN = "drawn", "tiré"
        CANCELLED = "cancelled", "annulé"

    class Method(models.TextChoices):
        DICE = "dice", "dés à dix faces"
        SEED = "seed", "graine convenue"

    pool = models.ForeignKey(FrozenPool, on_delete=models.PROTECT, related_name="draws")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    objective = models.CharField("objectif", max_length=20, default="leximin")
    panels = models.PositiveIntegerField("nombre de panels (m)", default=1000)
    method = models.CharField("procédé", max_length=8, choices=Method.choices, default=Method.DICE)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # Progress of the background computation (stored by the engine's Progress protocol).
    progress_stage = models.CharField(max_length=40, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    progress_message = models.CharField(max_length=300, blank=True)
    # The background run (a task on the queue): its number (a restart starts run n + 1 and
    # the older run's writes are ignored), its queue id, when it started and its last heartbeat.
    run_number = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    prepared_at = models.DateTimeField(null=True, blank=True)
    # The published bundle (relative to DOCUMENTS_DIR) and its SHA-256 commitment.
    bundle_path = models.CharField(max_length=300, blank=True)
    commitment = models.CharField(max_length=64, blank=True, db_index=True)
    summary = models.JSONField(default=dict, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    redraw_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="redrawn_by"
    )
    redraw_reason = models.TextField("motif du nouveau tirage", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "tirage"
        verbose_name_plural = "tirages"

    def __str__(self) -> str:
        return f"Tirage #{self.pk} ({self.get_status_display()})"

    @property
    def call(self) -> Call:
        return self.pool.call

    @property
    def is_public(self) -> bool:
        """Committed, drawn, or cancelled after its commitment was published.

        A draw cancelled before its commitment (redrawn while computing or
        prepared) never had a public bundle: its files stay private (and may not exist).
        """
        if self.status == self.Status.CANCELLED:
            return self.committed_at is not None
        return self.status in {self.Status.COMMITTED, self.Status.DRAWN}

    def is_interrupted(self, *, now=None) -> bool:
        """Computing, but no heartbeat for ``TASK_STALE_SECONDS``: its worker died (« interrompu »)."""
        return self.status == self.Status.RUNNING and is_stale(
            self.heartbeat_at or self.started_at, now=now
        )

    @property
    def dice_count(self) -> int:
        """Ten-sided dice needed for m panels (m = 10^d)."""
        return len(str(self.panels - 1))


class DrawResult(models.Model):
    """The outcome of the ceremony. One per draw: a second draw on the same commitment is refused."""

    draw = models.OneToOneField(Draw, on_delete=models.PROTECT, related_name="result")
    randomness = models.JSONField()  # {"dice": [4, 2, 7]} or {"seed": "…"}
    panel_index = models.PositiveIntegerField()
    selected = models.JSONField()  # receipt codes, sorted
    reserve = models.JSONField()  # ordered receipt codes
    result_path = models.CharField(max_length=300)
    result_sha256 = models.CharField(max_length=64)
    drawn_at = models.DateTimeField(default=timezone.now)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField("lieu", max_length=300, blank=True)
    witnesses = models.TextField("témoins (un par ligne)", blank=True)

    class Meta:
        verbose_name = "résultat du tirage"
        verbose_name_plural = "résultats des tirages"

    def __str__(self) -> str:
        return f"Résultat du tirage #{self.draw_id} : panel n° {self.panel_index}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            # Only the witnesses and place of the procès-verbal may be completed afterwards.
            update_fields = kwargs.get("update_fields")
            if not update_fields or set(update_fields) - {"witnesses", "place"}:
                raise ImmutableError("a draw result cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("a draw result cannot be deleted")
