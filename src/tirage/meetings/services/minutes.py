"""Minutes: draft, send to the members, amendments, approval by a later plenary, publication.

(Editing the text and answering an amendment are one-row operations:
``Minutes.edit`` and ``Amendment.decide``.)
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.council.models import Member
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import Amendment, Decision, Meeting, Minutes, Source
from tirage.meetings.office import in_office, member_name
from tirage.meetings.services.common import actor_label, check_source, user_or_none
from tirage.meetings.services.decisions import record_decision
from tirage.meetings.voting import Votes
from tirage.site.dates import french_date as fr_day


@transaction.atomic
def draft_minutes(
    *, meeting_id: int, text: str, summary: str = "", actor=None, now: dt.datetime | None = None
) -> Minutes:
    """Start the minutes of a held meeting (state ``draft``); audited ``minutes.drafted``."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    if not meeting.is_held:
        raise MeetingError(
            f"Cette réunion est « {meeting.get_state_display()} » : le compte rendu s'écrit une fois "
            "la feuille de présence close."
        )
    if Minutes.objects.filter(meeting=meeting).exists():
        raise MeetingError("Cette réunion a déjà un compte rendu : modifiez-le.")
    text = (text or "").strip()
    if not text:
        raise MeetingError("Le texte du compte rendu est vide.", field="text")
    minutes = Minutes.objects.create(
        meeting=meeting,
        text=text,
        summary=(summary or "").strip(),
        created_at=now,
        updated_at=now,
        created_by=user_or_none(actor),
    )
    log_action(minutes, "minutes.drafted", actor=actor, data={"meeting": meeting.pk})
    return minutes


@transaction.atomic
def send_minutes(*, minutes_id: int, actor=None, now: dt.datetime | None = None) -> Minutes:
    """Send the minutes to the members for reading and amendments (``draft`` → ``sent``; again after edits).

    Audited ``minutes.sent``. The letters and e-mails are produced by
    ``letters`` after the transaction commits (members' space, phase B).
    """
    now = now or timezone.now()
    # Lock: sending while the minutes are being approved must not reopen them.
    minutes = Minutes.objects.select_for_update().get(pk=minutes_id)
    if minutes.is_locked:
        raise MeetingError(
            f"Ce compte rendu est {minutes.get_state_display()} : il n'est plus à relire."
        )
    resent = minutes.state == Minutes.State.SENT
    minutes.state = Minutes.State.SENT
    minutes.sent_at = now
    minutes.save(update_fields=["state", "sent_at"])
    log_action(minutes, "minutes.sent", actor=actor, data={"again": resent})
    return minutes


def propose_amendment(
    *,
    minutes_id: int,
    member_id: int,
    text: str,
    source: str,
    actor=None,
    now: dt.datetime | None = None,
) -> tuple[Amendment, bool]:
    """A member in office proposes a change to sent minutes; returns ``(amendment, created)``.

    The same text sent twice is stored once. Audited ``minutes.amendment_proposed``.
    """
    check_source(source)
    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise MeetingError("Écrivez la modification demandée.", field="text")
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes_id)
        member = Member.objects.select_related("application").get(pk=member_id)
        if minutes.state != Minutes.State.SENT:
            raise MeetingError(
                "Ce compte rendu n'est pas (ou plus) soumis à la relecture des membres "
                f"({minutes.get_state_display()})."
            )
        if member.call_id != minutes.meeting.call_id or not in_office(
            member, timezone.localdate(now)
        ):
            raise MeetingError(f"{member_name(member)} n'est pas membre en exercice du conseil.")
        existing = minutes.amendments.filter(member=member, text=text).first()
        if existing is not None:
            return existing, False
        amendment = Amendment.objects.create(
            minutes=minutes,
            member=member,
            text=text,
            source=source,
            submitted_at=now,
            recorded_by=user_or_none(actor),
        )
        log_action(
            amendment,
            "minutes.amendment_proposed",
            actor=actor,
            actor_label=actor_label(source),
            data={"minutes": minutes.pk, "member": member.pk, "source": source},
        )
    return amendment, True


@transaction.atomic
def approve_minutes(
    *,
    minutes_id: int,
    meeting_id: int,
    agenda_item_id: int,
    method: str = Decision.Method.VOTE,
    votes: Votes | None = None,
    present: int | None = None,
    represented: int | None = None,
    casting_vote: str = "",
    actor=None,
    now: dt.datetime | None = None,
) -> Decision:
    """Vote on the minutes at a later plenary (``meeting_id``) through ``record_decision``.

    Adopted: the minutes are ``approved`` (and locked), their meeting
    ``minutes_approved``; rejected: they stay ``sent`` (the decision is
    kept). Refused (``MeetingError``, nothing saved) when the minutes were
    not sent to the members, amendments are still pending, the approving
    meeting is not later, or it lacks quorum. Audited ``minutes.approved``
    or ``minutes.not_approved``.
    """
    now = now or timezone.now()
    # Lock: one approval per minutes, and no edit in between.
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes_id)
    approving = Meeting.objects.get(pk=meeting_id)
    if minutes.state == Minutes.State.DRAFT:
        raise MeetingError(
            "Le compte rendu n'a pas encore été envoyé aux membres : ils doivent pouvoir le lire "
            "avant de l'approuver."
        )
    if minutes.is_locked:
        approved_by = minutes.approved_by
        assert approved_by is not None
        raise MeetingError(
            f"Ce compte rendu est déjà approuvé (réunion du {fr_day(approved_by.meeting.day)})."
        )
    if approving.call_id != minutes.meeting.call_id:
        raise MeetingError("La réunion qui approuve doit être du même conseil.", field="meeting")
    if approving.starts_at <= minutes.meeting.starts_at:
        raise MeetingError(
            f"Un compte rendu s'approuve lors d'une réunion ultérieure : la réunion du "
            f"{fr_day(approving.day)} ne suit pas celle du {fr_day(minutes.meeting.day)}.",
            field="meeting",
        )
    pending = minutes.amendments.filter(status=Amendment.Status.PENDING).count()
    if pending:
        raise MeetingError(
            f"{pending} amendement{'s' if pending > 1 else ''} reste{'nt' if pending > 1 else ''} à "
            "examiner avant l'approbation."
        )
    decision = record_decision(
        meeting_id=approving.pk,
        agenda_item_id=agenda_item_id,
        method=method,
        votes=votes,
        present=present,
        represented=represented,
        casting_vote=casting_vote,
        title=f"Approbation du compte rendu de la réunion du {fr_day(minutes.meeting.day)}",
        source=Source.PAPER,
        actor=actor,
        now=now,
    )
    if decision.adopted:
        minutes.state = Minutes.State.APPROVED
        minutes.approved_by = decision
        minutes.approved_at = now
        minutes.save(update_fields=["state", "approved_by", "approved_at"])
        Meeting.objects.filter(pk=minutes.meeting_id).update(state=Meeting.State.MINUTES_APPROVED)
    log_action(
        minutes,
        "minutes.approved" if decision.adopted else "minutes.not_approved",
        actor=actor,
        data={"decision": decision.pk, "meeting": approving.pk},
    )
    return decision


@transaction.atomic
def publish_minutes(*, minutes_id: int, actor=None, now: dt.datetime | None = None) -> Minutes:
    """Publish approved minutes with their FALC summary (``approved`` → ``published``); audited."""
    now = now or timezone.now()
    minutes = Minutes.objects.select_for_update().get(pk=minutes_id)
    if minutes.state == Minutes.State.PUBLISHED:
        raise MeetingError("Ce compte rendu est déjà publié.")
    if minutes.state != Minutes.State.APPROVED:
        raise MeetingError(
            f"Ce compte rendu est « {minutes.get_state_display()} » : seul un compte rendu approuvé "
            "par le conseil se publie."
        )
    if not minutes.summary.strip():
        raise MeetingError(
            "Ajoutez le résumé facile à lire et à comprendre (FALC) avant de publier : il accompagne "
            "le texte sur la page publique.",
            field="summary",
        )
    minutes.state = Minutes.State.PUBLISHED
    minutes.published_at = now
    minutes.save(update_fields=["state", "published_at"])
    Meeting.objects.filter(pk=minutes.meeting_id).update(state=Meeting.State.PUBLISHED)
    log_action(minutes, "minutes.published", actor=actor, data={"meeting": minutes.meeting_id})
    return minutes
