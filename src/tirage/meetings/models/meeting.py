"""Meetings of the council, their agenda, and the items members suggest.

A meeting goes ``planned → convened → held → minutes_approved →
published``, or ``cancelled`` (with a reason) before it is held. A plenary
convenes every member in office; a working-group meeting the group's
members. Only a plenary takes decisions (``Decision``). A meeting convened
again because the first one lacked quorum points to it
(``second_convocation_of``): under the default rules it decides without
quorum.

The agenda is an ordered list of items (information, debate, decision).
Once the convocation is sent, no item for decision may be added (members
must have had the notice period to prepare it).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.calls.models import Call
from tirage.meetings.errors import MeetingError
from tirage.meetings.models.groups import WorkingGroup
from tirage.meetings.models.rules import Source
from tirage.site.dates import french_time


class Meeting(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", "séance plénière"
        WORKING_GROUP = "working_group", "groupe de travail"
        VISIT = "visit", "visite"
        TRAINING = "training", "formation"

    class Format(models.TextChoices):
        IN_PERSON = "in_person", "sur place"
        REMOTE = "remote", "à distance"
        HYBRID = "hybrid", "sur place et à distance"

    class State(models.TextChoices):
        PLANNED = "planned", "prévue"
        CONVENED = "convened", "convoquée"
        HELD = "held", "tenue"
        MINUTES_APPROVED = "minutes_approved", "compte rendu approuvé"
        PUBLISHED = "published", "compte rendu publié"
        CANCELLED = "cancelled", "annulée"

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField("type", max_length=20, choices=Kind.choices, default=Kind.PLENARY)
    working_group = models.ForeignKey(
        WorkingGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name="groupe de travail",
    )
    title = models.CharField("titre", max_length=200)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    format = models.CharField(
        "modalité", max_length=10, choices=Format.choices, default=Format.IN_PERSON
    )
    place = models.CharField("lieu", max_length=200, blank=True)
    address = models.CharField("adresse du lieu", max_length=300, blank=True)
    access_info = models.TextField(
        "accès et accessibilité",
        blank=True,
        help_text="Transports, entrée accessible en fauteuil, boucle magnétique, interprète LSF…",
    )
    # Given to convened members only, never on public pages or in the public feed.
    remote_url = models.URLField("lien de la visioconférence (membres seulement)", blank=True)
    state = models.CharField(
        "état", max_length=20, choices=State.choices, default=State.PLANNED, db_index=True
    )
    second_convocation_of = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="second_convocation",
        verbose_name="seconde convocation de",
    )
    # iCalendar SEQUENCE: bumped on every change calendars must pick up (new time, cancellation).
    sequence = models.PositiveIntegerField(default=0)
    convened_at = models.DateTimeField("convoquée le", null=True, blank=True)
    held_at = models.DateTimeField("feuille de présence close le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    cancelled_reason = models.CharField("motif d'annulation", max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["call", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="working_group", working_group__isnull=False)
                    | (~models.Q(kind="working_group") & models.Q(working_group__isnull=True))
                ),
                name="meeting_group_iff_working_group",
            ),
        ]
        verbose_name = "réunion"
        verbose_name_plural = "réunions"

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d/%m/%Y} à {french_time(self.starts_at)})"

    @property
    def day(self) -> dt.date:
        """The meeting's day in Europe/Paris (the day used for « in office »)."""
        return timezone.localdate(self.starts_at)

    @property
    def is_plenary(self) -> bool:
        return self.kind == self.Kind.PLENARY

    @property
    def is_open_for_business(self) -> bool:
        """Planned or convened: the agenda and replies can still change."""
        return self.state in (self.State.PLANNED, self.State.CONVENED)

    @property
    def is_held(self) -> bool:
        return self.state in (self.State.HELD, self.State.MINUTES_APPROVED, self.State.PUBLISHED)

    def has_started(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    def cancel(self, *, reason: str, actor=None, now: dt.datetime | None = None) -> Meeting:
        """Cancel a planned or convened meeting; ``reason`` is required (it is public). Audited.

        Raises ``MeetingError`` once the attendance is recorded or the meeting
        is already cancelled.
        """
        reason = (reason or "").strip()
        if not reason:
            raise MeetingError(
                "Indiquez le motif de l'annulation (il sera affiché).", field="reason"
            )
        now = now or timezone.now()
        with transaction.atomic():
            # Lock: closing the sign-in sheet and cancelling at once must not both succeed.
            meeting = Meeting.objects.select_for_update().get(pk=self.pk)
            if meeting.state == self.State.CANCELLED:
                raise MeetingError("Cette réunion est déjà annulée.")
            if not meeting.is_open_for_business:
                raise MeetingError(
                    f"Cette réunion est « {meeting.get_state_display()} » : elle ne peut plus être annulée."
                )
            previous = meeting.state
            meeting.state = self.State.CANCELLED
            meeting.cancelled_reason = reason
            meeting.cancelled_at = now
            meeting.sequence += 1
            meeting.save(update_fields=["state", "cancelled_reason", "cancelled_at", "sequence"])
            log_action(
                meeting,
                "meeting.cancelled",
                actor=actor,
                reason=reason,
                data={"from": previous, "starts_at": meeting.starts_at.isoformat()},
            )
        self.state, self.cancelled_reason = meeting.state, meeting.cancelled_reason
        self.cancelled_at, self.sequence = meeting.cancelled_at, meeting.sequence
        return self


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        INFORMATION = "information", "information"
        DEBATE = "debate", "débat"
        DECISION = "decision", "décision"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda_items")
    order = models.PositiveSmallIntegerField("rang")
    title = models.CharField("intitulé", max_length=300)
    kind = models.CharField("nature", max_length=12, choices=Kind.choices, default=Kind.DEBATE)
    description = models.TextField("présentation", blank=True)
    presenter = models.CharField("présenté par", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = "point de l'ordre du jour"
        verbose_name_plural = "points de l'ordre du jour"

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class AgendaSuggestion(models.Model):
    """An agenda item a member suggests for a meeting; staff accept it (it becomes an item) or decline it."""

    class Status(models.TextChoices):
        PENDING = "pending", "en attente"
        ACCEPTED = "accepted", "retenue"
        DECLINED = "declined", "non retenue"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="suggestions")
    member = models.ForeignKey(
        "council.Member", on_delete=models.PROTECT, related_name="agenda_suggestions"
    )
    title = models.CharField("intitulé proposé", max_length=300)
    description = models.TextField("explication", blank=True)
    source = models.CharField("origine", max_length=10, choices=Source.choices)
    submitted_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "suite donnée", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reason = models.CharField("motif (si non retenue)", max_length=500, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item = models.OneToOneField(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="suggestion"
    )

    class Meta:
        ordering = ["meeting", "submitted_at", "id"]
        verbose_name = "proposition de point à l'ordre du jour"
        verbose_name_plural = "propositions de points à l'ordre du jour"

    def __str__(self) -> str:
        return self.title

    def decline(self, *, reason: str, actor=None, now: dt.datetime | None = None) -> None:
        """Decline the suggestion with a reason (shown to the member); audited. Pending only."""
        reason = (reason or "").strip()
        if not reason:
            raise MeetingError(
                "Indiquez pourquoi la proposition n'est pas retenue (le membre le lira).",
                field="reason",
            )
        with transaction.atomic():
            # Lock: accepting and declining at once must leave one answer.
            locked = AgendaSuggestion.objects.select_for_update().get(pk=self.pk)
            if locked.status != self.Status.PENDING:
                raise MeetingError(
                    f"Cette proposition a déjà une réponse ({locked.get_status_display()})."
                )
            locked.status = self.Status.DECLINED
            locked.reason = reason
            locked.decided_at = now or timezone.now()
            locked.decided_by = actor if getattr(actor, "is_authenticated", False) else None
            locked.save(update_fields=["status", "reason", "decided_at", "decided_by"])
            log_action(
                locked,
                "agenda.suggestion_declined",
                actor=actor,
                reason=reason,
                data={"meeting": locked.meeting_id, "member": locked.member_id},
            )
        self.status, self.reason, self.decided_at = locked.status, locked.reason, locked.decided_at
