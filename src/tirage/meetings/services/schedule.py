"""Plan meetings, change their time or place, and build their agenda (with the members' suggestions).

Rules enforced here: a meeting is never planned in the past; a working-group
meeting names its group; a meeting on site says where; once convened, a new
date must still respect the notice period, and no item for decision may be
added (members must have had the notice period to prepare it); only a
plenary takes decisions.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.council.models import Member
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import (
    AgendaItem,
    AgendaSuggestion,
    Meeting,
    Rules,
    WorkingGroup,
)
from tirage.meetings.quorum import quorum_for
from tirage.meetings.roster import check_expected
from tirage.meetings.services.common import (
    actor_label,
    aware,
    check_source,
    user_or_none,
    validated,
)
from tirage.site.dates import french_date as fr_day
from tirage.site.dates import french_moment as moment

DEFAULT_LENGTH = dt.timedelta(hours=2)


def _check_future(starts_at: dt.datetime, now: dt.datetime) -> None:
    if starts_at <= now:
        raise MeetingError(
            f"La réunion ne peut pas avoir lieu dans le passé : le {moment(starts_at)} est déjà "
            f"passé (nous sommes le {moment(now)}).",
            field="starts_at",
        )


def _check_end(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if ends_at <= starts_at:
        raise MeetingError(
            f"La fin ({moment(ends_at)}) doit suivre le début ({moment(starts_at)}).",
            field="ends_at",
        )


def _check_place(meeting: Meeting) -> None:
    if meeting.format != Meeting.Format.REMOTE and not meeting.place.strip():
        raise MeetingError(
            "Indiquez le lieu de la réunion (elle se tient sur place).", field="place"
        )


def check_notice(meeting: Meeting, rules: Rules, today: dt.date) -> None:
    """Raise ``MeetingError`` when a convocation sent ``today`` would not give ``rules.notice_days`` of notice."""
    days_left = (meeting.day - today).days
    if days_left < rules.notice_days:
        latest = meeting.day - dt.timedelta(days=rules.notice_days)
        raise MeetingError(
            f"Convocation trop tardive : la réunion du {fr_day(meeting.day)} est dans "
            f"{days_left} jour{'s' if days_left > 1 else ''}, le règlement impose "
            f"{rules.notice_days} jours de préavis (il fallait convoquer au plus tard le "
            f"{fr_day(latest)}). Déplacez la réunion au {fr_day(today + dt.timedelta(days=rules.notice_days))} "
            "ou plus tard.",
            field="starts_at",
        )


@transaction.atomic
def plan_meeting(
    *,
    call_id: int,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    kind: str = Meeting.Kind.PLENARY,
    working_group_id: int | None = None,
    format: str = Meeting.Format.IN_PERSON,
    place: str = "",
    address: str = "",
    access_info: str = "",
    remote_url: str = "",
    second_convocation_of_id: int | None = None,
    actor=None,
    now: dt.datetime | None = None,
) -> Meeting:
    """Plan a meeting of ``call_id`` (state ``planned``); audited ``meeting.planned``.

    ``starts_at``/``ends_at`` are datetimes (naive ones are read in
    Europe/Paris; ``ends_at`` defaults to two hours later).
    ``second_convocation_of_id``: the plenary that lacked quorum, convened
    again. Raises ``MeetingError`` (French, with ``field``) and saves nothing
    when the meeting is in the past, ends before it starts, lacks a place or
    a group, or the group belongs to another council or is closed.
    """
    now = now or timezone.now()
    starts_at = aware(starts_at)
    ends_at = aware(ends_at) if ends_at else starts_at + DEFAULT_LENGTH
    title = (title or "").strip()
    if not title:
        raise MeetingError("Donnez un titre à la réunion.", field="title")
    _check_future(starts_at, now)
    _check_end(starts_at, ends_at)
    group = None
    if kind == Meeting.Kind.WORKING_GROUP:
        if working_group_id is None:
            raise MeetingError(
                "Choisissez le groupe de travail qui se réunit.", field="working_group"
            )
        group = WorkingGroup.objects.get(pk=working_group_id)
        if group.call_id != call_id:
            raise MeetingError(
                "Ce groupe de travail appartient à un autre conseil.", field="working_group"
            )
        if group.closed_on is not None and group.closed_on <= timezone.localdate(starts_at):
            raise MeetingError(
                f"Le groupe « {group.name} » est clos depuis le {fr_day(group.closed_on)}.",
                field="working_group",
            )
    elif working_group_id is not None:
        raise MeetingError(
            "Seule une réunion de groupe de travail se rattache à un groupe.", field="working_group"
        )
    meeting = Meeting(
        call_id=call_id,
        kind=kind,
        working_group=group,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        format=format,
        place=(place or "").strip(),
        address=(address or "").strip(),
        access_info=(access_info or "").strip(),
        remote_url=(remote_url or "").strip(),
        created_at=now,
        created_by=user_or_none(actor),
    )
    _check_place(meeting)
    if second_convocation_of_id is not None:
        first = Meeting.objects.get(pk=second_convocation_of_id)
        _check_second_convocation(meeting, first)
        meeting.second_convocation_of = first
    validated(meeting, exclude=["second_convocation_of"])
    meeting.save()
    log_action(
        meeting,
        "meeting.planned",
        actor=actor,
        data={
            "kind": kind,
            "title": title,
            "starts_at": starts_at.isoformat(),
            "group": group.pk if group else None,
            "second_convocation_of": second_convocation_of_id,
        },
    )
    return meeting


def _check_second_convocation(meeting: Meeting, first: Meeting) -> None:
    if not meeting.is_plenary or not first.is_plenary or first.call_id != meeting.call_id:
        raise MeetingError(
            "Une seconde convocation remplace une séance plénière du même conseil.",
            field="second_convocation_of",
        )
    if not first.is_held:
        raise MeetingError(
            f"La réunion du {fr_day(first.day)} n'a pas encore eu lieu : une seconde convocation "
            "suit une réunion tenue sans quorum.",
            field="second_convocation_of",
        )
    if quorum_for(first).reached:
        raise MeetingError(
            f"La réunion du {fr_day(first.day)} avait son quorum : une seconde convocation n'a pas "
            "lieu d'être.",
            field="second_convocation_of",
        )
    if hasattr(first, "second_convocation"):
        raise MeetingError(
            f"La réunion du {fr_day(first.day)} a déjà une seconde convocation.",
            field="second_convocation_of",
        )


@transaction.atomic
def change_meeting(
    *,
    meeting_id: int,
    reason: str = "",
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    title: str | None = None,
    format: str | None = None,
    place: str | None = None,
    address: str | None = None,
    access_info: str | None = None,
    remote_url: str | None = None,
    actor=None,
    now: dt.datetime | None = None,
) -> Meeting:
    """Change a planned or convened meeting (``None`` keeps a value); audited ``meeting.changed``.

    Once convened, a change of date, time or place needs a ``reason`` (it is
    sent to the members), the new date must still give the notice period, and
    the convocations are marked to be sent again. Calendars see the change
    (``sequence`` + 1).
    """
    now = now or timezone.now()
    # Lock: a change racing the convocation must not leave members with the old date.
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    if not meeting.is_open_for_business:
        raise MeetingError(
            f"Cette réunion est « {meeting.get_state_display()} » : elle ne se modifie plus."
        )
    before = {
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "place": meeting.place,
        "format": meeting.format,
    }
    if starts_at is not None:
        new_start = aware(starts_at)
        if ends_at is None:
            ends_at = new_start + (meeting.ends_at - meeting.starts_at)
        meeting.starts_at = new_start
        _check_future(new_start, now)
    if ends_at is not None:
        meeting.ends_at = aware(ends_at)
    _check_end(meeting.starts_at, meeting.ends_at)
    for name, value in (
        ("title", title),
        ("format", format),
        ("place", place),
        ("address", address),
        ("access_info", access_info),
        ("remote_url", remote_url),
    ):
        if value is not None:
            setattr(meeting, name, value.strip())
    if not meeting.title:
        raise MeetingError("Donnez un titre à la réunion.", field="title")
    _check_place(meeting)
    after = {
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "place": meeting.place,
        "format": meeting.format,
    }
    moved = before != after
    reason = (reason or "").strip()
    if meeting.state == Meeting.State.CONVENED and moved:
        if not reason:
            raise MeetingError(
                "La convocation est partie : indiquez le motif du changement (il sera envoyé aux "
                "membres).",
                field="reason",
            )
        if before["starts_at"] != after["starts_at"]:
            check_notice(meeting, Rules.for_call(meeting.call_id), timezone.localdate(now))
        meeting.convocations.update(delivered_at=None)
    validated(meeting, exclude=["second_convocation_of"])
    if moved:
        meeting.sequence += 1
    meeting.save()
    log_action(
        meeting,
        "meeting.changed",
        actor=actor,
        reason=reason,
        data={"before": before, "after": after, "state": meeting.state},
    )
    return meeting


# -- agenda ---------------------------------------------------------------------


def _check_agenda_open(meeting: Meeting, kind: str, now: dt.datetime) -> None:
    if not meeting.is_open_for_business:
        raise MeetingError(
            f"Cette réunion est « {meeting.get_state_display()} » : son ordre du jour ne change plus."
        )
    if meeting.has_started(now):
        raise MeetingError("La réunion a commencé : son ordre du jour ne change plus.")
    if kind == AgendaItem.Kind.DECISION and not meeting.is_plenary:
        raise MeetingError(
            f"Seule une séance plénière prend des décisions : un point « décision » n'a pas sa place "
            f"dans une réunion « {meeting.get_kind_display()} ».",
            field="kind",
        )
    if kind == AgendaItem.Kind.DECISION and meeting.state == Meeting.State.CONVENED:
        rules = Rules.for_call(meeting.call_id)
        assert meeting.convened_at is not None
        raise MeetingError(
            f"La convocation est partie le {fr_day(meeting.convened_at)} : un point soumis à décision "
            f"ne peut plus être ajouté (les membres doivent le connaître {rules.notice_days} jours "
            "avant). Inscrivez-le en débat, ou à la réunion suivante.",
            field="kind",
        )


@transaction.atomic
def add_agenda_item(
    *,
    meeting_id: int,
    title: str,
    kind: str = AgendaItem.Kind.DEBATE,
    description: str = "",
    presenter: str = "",
    actor=None,
    now: dt.datetime | None = None,
) -> AgendaItem:
    """Add an item at the end of the agenda; audited ``agenda.item_added``."""
    now = now or timezone.now()
    # Lock: two items added at once get distinct ranks.
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    title = (title or "").strip()
    if not title:
        raise MeetingError("Donnez un intitulé au point.", field="title")
    if kind not in AgendaItem.Kind.values:
        raise MeetingError("Nature de point inconnue.", field="kind")
    _check_agenda_open(meeting, kind, now)
    order = (meeting.agenda_items.aggregate(m=Max("order"))["m"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=order,
        title=title,
        kind=kind,
        description=(description or "").strip(),
        presenter=(presenter or "").strip(),
        created_at=now,
    )
    log_action(
        meeting,
        "agenda.item_added",
        actor=actor,
        data={"item": item.pk, "order": order, "title": title, "kind": kind},
    )
    return item


@transaction.atomic
def move_agenda_item(*, item_id: int, position: int, actor=None) -> list[AgendaItem]:
    """Move an item to ``position`` (1 = first) and renumber the agenda 1…n; audited. Returns the agenda."""
    item = AgendaItem.objects.select_related("meeting").get(pk=item_id)
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    if not meeting.is_open_for_business:
        raise MeetingError("L'ordre du jour de cette réunion ne change plus.")
    items = list(meeting.agenda_items.order_by("order", "id"))
    if not 1 <= position <= len(items):
        raise MeetingError(
            f"Position {position} impossible : l'ordre du jour compte {len(items)} points.",
            field="position",
        )
    items = [i for i in items if i.pk != item.pk]
    items.insert(position - 1, item)
    for rank, each in enumerate(items, start=1):
        if each.order != rank:
            each.order = rank
            each.save(update_fields=["order"])
    log_action(
        meeting, "agenda.item_moved", actor=actor, data={"item": item.pk, "position": position}
    )
    return items


@transaction.atomic
def remove_agenda_item(*, item_id: int, reason: str = "", actor=None) -> None:
    """Remove an item before the convocation is sent; audited. A suggested item's suggestion is declined."""
    item = AgendaItem.objects.get(pk=item_id)
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    if meeting.state != Meeting.State.PLANNED:
        raise MeetingError(
            "L'ordre du jour est parti avec la convocation : un point ne se retire plus (il peut "
            "être reporté en séance)."
        )
    suggestion = AgendaSuggestion.objects.filter(item=item).first()
    if suggestion is not None:
        reason = (reason or "").strip()
        if not reason:
            raise MeetingError(
                "Ce point vient de la proposition d'un membre : indiquez pourquoi il est retiré.",
                field="reason",
            )
        suggestion.item = None
        suggestion.status = AgendaSuggestion.Status.DECLINED
        suggestion.reason = reason
        suggestion.decided_by = user_or_none(actor)
        suggestion.decided_at = timezone.now()
        suggestion.save(update_fields=["item", "status", "reason", "decided_by", "decided_at"])
    log_action(
        meeting,
        "agenda.item_removed",
        actor=actor,
        reason=reason,
        data={"title": item.title, "order": item.order},
    )
    item.delete()
    for rank, each in enumerate(meeting.agenda_items.order_by("order", "id"), start=1):
        if each.order != rank:
            each.order = rank
            each.save(update_fields=["order"])


def suggest_agenda_item(
    *,
    meeting_id: int,
    member_id: int,
    title: str,
    description: str = "",
    source: str,
    actor=None,
    now: dt.datetime | None = None,
) -> tuple[AgendaSuggestion, bool]:
    """A member suggests an agenda item for a coming meeting; returns ``(suggestion, created)``.

    The same pending suggestion submitted twice is stored once
    (``created=False``). Refused for a meeting already started, cancelled or
    held, or a member not expected at it. Audited ``agenda.suggested``.
    """
    check_source(source)
    now = now or timezone.now()
    title = (title or "").strip()
    if not title:
        raise MeetingError("Donnez un intitulé au point proposé.", field="title")
    with transaction.atomic():
        # Lock: a double submit waits for the first and then finds it.
        meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
        member = Member.objects.select_related("application").get(pk=member_id)
        if not meeting.is_open_for_business or meeting.has_started(now):
            raise MeetingError(
                f"La réunion du {fr_day(meeting.day)} est « {meeting.get_state_display()} » : "
                "proposez votre point pour une réunion à venir."
            )
        check_expected(meeting, member)
        existing = AgendaSuggestion.objects.filter(
            meeting=meeting, member=member, title=title, status=AgendaSuggestion.Status.PENDING
        ).first()
        if existing is not None:
            return existing, False
        suggestion = AgendaSuggestion.objects.create(
            meeting=meeting,
            member=member,
            title=title,
            description=(description or "").strip(),
            source=source,
            submitted_at=now,
            recorded_by=user_or_none(actor),
        )
        log_action(
            suggestion,
            "agenda.suggested",
            actor=actor,
            actor_label=actor_label(source),
            data={"meeting": meeting.pk, "member": member.pk, "source": source},
        )
    return suggestion, True


@transaction.atomic
def accept_suggestion(
    *,
    suggestion_id: int,
    kind: str = AgendaItem.Kind.DEBATE,
    title: str = "",
    actor=None,
    now: dt.datetime | None = None,
) -> AgendaItem:
    """Put a pending suggestion on the agenda (as ``kind``, title as suggested unless ``title``); audited."""
    now = now or timezone.now()
    # Lock: accepting and declining at once must leave one answer.
    suggestion = AgendaSuggestion.objects.select_for_update().get(pk=suggestion_id)
    if suggestion.status != AgendaSuggestion.Status.PENDING:
        raise MeetingError(
            f"Cette proposition a déjà une réponse ({suggestion.get_status_display()})."
        )
    item = add_agenda_item(
        meeting_id=suggestion.meeting_id,
        title=(title or "").strip() or suggestion.title,
        kind=kind,
        description=suggestion.description,
        actor=actor,
        now=now,
    )
    suggestion.status = AgendaSuggestion.Status.ACCEPTED
    suggestion.item = item
    suggestion.decided_at = now
    suggestion.decided_by = user_or_none(actor)
    suggestion.save(update_fields=["status", "item", "decided_at", "decided_by"])
    log_action(
        suggestion,
        "agenda.suggestion_accepted",
        actor=actor,
        data={"meeting": suggestion.meeting_id, "item": item.pk, "kind": kind},
    )
    return item
