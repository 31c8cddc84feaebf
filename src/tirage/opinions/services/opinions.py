"""Draft opinions and proposals, adopt a version in a meeting, send the adopted text to the City.

Adoption goes through ``tirage.meetings.services.decisions.record_decision``,
the council's one vote mechanism: quorum, figures bounded by the sign-in
sheet and vote arithmetic are checked there (its ``MeetingError`` /
``VoteError`` pass through unchanged), and the version is linked to the
returned decision — adopted only if ``decision.adopted``. A version voted
(adopted or rejected) never changes; the next one is drafted with
``new_version``. Sending the adopted text to the City starts the public
clock (``tirage.opinions.clock``); after that the opinion no longer changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.calls.models import Call
from tirage.council.models import Member
from tirage.meetings.models import Decision, Meeting, Rules, Source
from tirage.meetings.office import in_office, member_name, out_of_office_reason
from tirage.meetings.quorum import quorum_for
from tirage.meetings.services.common import actor_label, check_source, user_or_none
from tirage.meetings.services.decisions import record_decision
from tirage.meetings.voting import Votes
from tirage.opinions.clock import clock_for
from tirage.opinions.errors import OpinionError
from tirage.opinions.models import Consultation, Opinion, OpinionVersion, Recommendation
from tirage.opinions.models.opinion import clean_recommendations
from tirage.opinions.services.common import check_item_open, same_sheet, working_group_for
from tirage.site.dates import french_date as fr_day


def _create(
    *,
    call_id: int,
    kind: str,
    title: str,
    text: str,
    summary: str,
    minority_view: str,
    recommendations: list[str],
    consultation: Consultation | None,
    working_group_id: int | None,
    proposed_by: Member | None,
    source: str,
    actor,
    now: dt.datetime,
) -> Opinion:
    title = (title or "").strip()
    text = (text or "").strip()
    if not title:
        raise OpinionError("Donnez un titre.", field="title")
    if not text:
        raise OpinionError("Le texte est vide.", field="text")
    items = clean_recommendations(recommendations)
    group = working_group_for(call_id, working_group_id, timezone.localdate(now))
    opinion = Opinion.objects.create(
        call_id=call_id,
        kind=kind,
        title=title,
        consultation=consultation,
        working_group=group,
        proposed_by=proposed_by,
        source=source,
        created_at=now,
        created_by=user_or_none(actor),
    )
    version = OpinionVersion.objects.create(
        opinion=opinion,
        number=1,
        text=text,
        summary=(summary or "").strip(),
        minority_view=(minority_view or "").strip(),
        created_at=now,
        updated_at=now,
        created_by=user_or_none(actor),
    )
    Recommendation.objects.bulk_create(
        [Recommendation(version=version, number=i, text=t) for i, t in enumerate(items, start=1)]
    )
    return opinion


@transaction.atomic
def draft_opinion(
    *,
    call_id: int,
    title: str,
    text: str,
    recommendations: list[str],
    summary: str = "",
    minority_view: str = "",
    consultation_id: int | None = None,
    working_group_id: int | None = None,
    actor=None,
    now: dt.datetime | None = None,
) -> Opinion:
    """Start an opinion (version 1, draft) of council ``call_id``; audited ``opinion.drafted``.

    ``consultation_id``: the consultation it answers (``None``: the council's
    own initiative); ``working_group_id``: the group drafting it;
    ``recommendations``: their texts in order (numbered 1, 2, …). The
    contributions to draft from are in
    ``services.consultations.contributions_digest``.
    """
    now = now or timezone.now()
    consultation = None
    if consultation_id is not None:
        consultation = Consultation.objects.get(pk=consultation_id)
        if consultation.call_id != call_id:
            raise OpinionError(
                f"La consultation « {consultation.title} » est celle d'un autre conseil.",
                field="consultation",
            )
    opinion = _create(
        call_id=call_id,
        kind=Opinion.Kind.OPINION,
        title=title,
        text=text,
        summary=summary,
        minority_view=minority_view,
        recommendations=recommendations,
        consultation=consultation,
        working_group_id=working_group_id,
        proposed_by=None,
        source=Source.STAFF,
        actor=actor,
        now=now,
    )
    log_action(
        opinion,
        "opinion.drafted",
        actor=actor,
        data={
            "kind": opinion.kind,
            "title": opinion.title,
            "consultation": consultation_id,
            "group": working_group_id,
            "recommendations": len(recommendations),
        },
    )
    return opinion


def propose(
    *,
    call_id: int,
    title: str,
    text: str,
    source: str,
    member_id: int | None = None,
    working_group_id: int | None = None,
    recommendations: list[str] | None = None,
    summary: str = "",
    actor=None,
    now: dt.datetime | None = None,
) -> tuple[Opinion, bool]:
    """A member (``member_id``) or a working group proposes an idea; returns ``(proposal, created)``.

    The proposal waits for a meeting (``adopt``) or is withdrawn with a reason
    (``Opinion.withdraw``). ``recommendations`` default to one: the title
    (what the City will answer). The same title and text from the same
    proposer is stored once. Audited ``opinion.proposed``.
    """
    check_source(source)
    now = now or timezone.now()
    if (member_id is None) == (working_group_id is None):
        raise OpinionError(
            "Une proposition vient d'un membre ou d'un groupe de travail (l'un des deux).",
            field="member",
        )
    with transaction.atomic():
        member = None
        if member_id is not None:
            # Lock: a double submit of the same proposal must be stored once.
            member = (
                Member.objects.select_for_update(of=("self",))
                .select_related("application")
                .get(pk=member_id)
            )
            day = timezone.localdate(now)
            if member.call_id != call_id:
                raise OpinionError(
                    f"{member_name(member)} n'est pas membre de ce conseil.", field="member"
                )
            if not in_office(member, day):
                raise OpinionError(
                    f"{member_name(member)} n'est pas membre en exercice le {fr_day(day)} "
                    f"({out_of_office_reason(member, day)}).",
                    field="member",
                )
        existing = Opinion.objects.filter(
            call_id=call_id,
            kind=Opinion.Kind.PROPOSAL,
            proposed_by_id=member_id,
            working_group_id=working_group_id,
            title=(title or "").strip(),
            versions__number=1,
            versions__text=(text or "").strip(),
        ).first()
        if existing is not None:
            return existing, False
        proposal = _create(
            call_id=call_id,
            kind=Opinion.Kind.PROPOSAL,
            title=title,
            text=text,
            summary=summary,
            minority_view="",
            recommendations=recommendations
            if recommendations is not None
            else [(title or "").strip()],
            consultation=None,
            working_group_id=working_group_id,
            proposed_by=member,
            source=source,
            actor=actor,
            now=now,
        )
        log_action(
            proposal,
            "opinion.proposed",
            actor=actor,
            actor_label=actor_label(source),
            data={
                "title": proposal.title,
                "member": member_id,
                "group": working_group_id,
                "source": source,
            },
        )
        return proposal, True


@transaction.atomic
def new_version(*, opinion_id: int, actor=None, now: dt.datetime | None = None) -> OpinionVersion:
    """Draft version n + 1, a copy of the latest version (text, summary, minority view, recommendations).

    This is how an adopted (or rejected) text changes: the copy is edited
    (``OpinionVersion.edit``) and put to the vote; the earlier version stays
    as it was. Refused while a draft exists, and once the opinion is sent to
    the City or withdrawn. Audited ``opinion.version_drafted``.
    """
    now = now or timezone.now()
    # Lock: two « Nouvelle version » clicks must make one draft.
    opinion = Opinion.objects.select_for_update().get(pk=opinion_id)
    _check_changeable(opinion)
    if opinion.draft_version() is not None:
        raise OpinionError(
            f"{opinion.label} « {opinion.title} » a déjà une version en préparation : modifiez-la."
        )
    last = opinion.versions.order_by("-number").first()
    assert last is not None, "an opinion is created with its first version"
    version = OpinionVersion.objects.create(
        opinion=opinion,
        number=last.number + 1,
        text=last.text,
        summary=last.summary,
        minority_view=last.minority_view,
        created_at=now,
        updated_at=now,
        created_by=user_or_none(actor),
    )
    Recommendation.objects.bulk_create(
        [
            Recommendation(version=version, number=r.number, text=r.text)
            for r in last.recommendations.order_by("number")
        ]
    )
    log_action(
        version,
        "opinion.version_drafted",
        actor=actor,
        data={"opinion": opinion.pk, "version": version.number, "from": last.number},
    )
    return version


@transaction.atomic
def discard_draft(*, opinion_id: int, actor=None) -> None:
    """Drop the draft version n + 1 of an adopted opinion (never voted, so nothing public is lost). Audited.

    The first version of a draft opinion is not discarded: withdraw the
    opinion (``Opinion.withdraw``), which keeps it with its reason.
    """
    # Lock: a vote on the draft must not race its removal.
    opinion = Opinion.objects.select_for_update().get(pk=opinion_id)
    draft = opinion.draft_version()
    if draft is None:
        raise OpinionError(
            f"{opinion.label} « {opinion.title} » n'a pas de version en préparation."
        )
    if draft.number == 1:
        raise OpinionError(
            "La première version ne s'abandonne pas : retirez le texte avec un motif.",
            field="reason",
        )
    log_action(
        opinion,
        "opinion.version_discarded",
        actor=actor,
        data={"version": draft.number, "text": draft.text},
    )
    draft.recommendations.all().delete()
    draft.delete()


def _check_changeable(opinion: Opinion) -> None:
    if opinion.state == Opinion.State.WITHDRAWN:
        assert opinion.withdrawn_at is not None
        raise OpinionError(
            f"{opinion.label} « {opinion.title} » a été retiré{opinion.e} le "
            f"{fr_day(opinion.withdrawn_at)} (« {opinion.withdrawn_reason} ») : {opinion.pronoun} ne "
            "change plus."
        )
    if opinion.state == Opinion.State.SENT:
        assert opinion.sent_on is not None
        raise OpinionError(
            f"{opinion.label} « {opinion.title} » a été transmis{opinion.e} à la Ville le "
            f"{fr_day(opinion.sent_on)} : {opinion.pronoun} ne change plus. Pour aller plus loin, le conseil "
            "rédige un nouvel avis."
        )


def _check_ready(version: OpinionVersion) -> None:
    opinion = version.opinion
    if not version.summary.strip():
        raise OpinionError(
            f"Version {version.number} : le résumé facile à lire et à comprendre (FALC) manque. Il "
            "est publié à côté du texte : écrivez-le avant le vote.",
            field="summary",
        )
    if not version.recommendations.exists():
        raise OpinionError(
            f"Version {version.number} : aucune recommandation. La Ville répond recommandation par "
            f"recommandation : {opinion.get_kind_display()} en compte au moins une.",
            field="recommendations",
        )


def vote_title(opinion: Opinion, version: OpinionVersion) -> str:
    """« Adoption de l'avis « Portail des démarches » (version 1) » — the decision's title."""
    what = "l'avis" if opinion.kind == Opinion.Kind.OPINION else "la proposition"
    return f"Adoption de {what} « {opinion.title} » (version {version.number})"


def _check_after_consultation(opinion: Opinion, meeting: Meeting) -> None:
    """An opinion drawn from a consultation cannot be adopted at a meeting held before it opened."""
    consultation = opinion.consultation
    if consultation is None:
        return
    day = timezone.localdate(meeting.starts_at)
    if day < consultation.opened_on:
        raise OpinionError(
            f"La séance du {fr_day(day)} a eu lieu avant l'ouverture de la consultation "
            f"« {consultation.title} » (le {fr_day(consultation.opened_on)}) : "
            f"{opinion.pronoun} n'a pas pu y être adopté{opinion.e}. "
            "Choisissez la séance où le conseil a voté.",
            field="agenda_item",
        )


@transaction.atomic
def adopt(
    *,
    opinion_id: int,
    meeting_id: int,
    agenda_item_id: int,
    method: str,
    votes: Votes | None = None,
    present: int | None = None,
    represented: int | None = None,
    casting_vote: str = "",
    note: str = "",
    source: str = Source.PAPER,
    actor=None,
    now: dt.datetime | None = None,
) -> Decision:
    """Put the draft version of ``opinion_id`` to the council's decision at ``meeting_id``; returns the decision.

    The arguments after ``agenda_item_id`` are those of ``record_decision``
    (vote or consensus; quorum, figures and arithmetic checked there). The
    version must have its FALC summary and at least one recommendation.
    Adopted: the version is in force (the previous adopted one is kept,
    *superseded*), the opinion gets its number (« Avis n° 3 ») at its first
    adoption; audited ``opinion.adopted``. Rejected: the version stays as
    voted (``rejected``); a new one may be drafted; audited
    ``opinion.rejected``. The same voting sheet submitted twice returns the
    first decision. Raises ``OpinionError`` or ``MeetingError``/``VoteError``;
    nothing is saved then.
    """
    now = now or timezone.now()
    # Lock: two submissions of the voting sheet, or a vote and a withdrawal, must not both succeed.
    opinion = Opinion.objects.select_for_update().get(pk=opinion_id)
    meeting = Meeting.objects.get(pk=meeting_id)
    if meeting.call_id != opinion.call_id:
        raise OpinionError(
            "Cette réunion est celle d'un autre conseil : le conseil vote ses propres avis.",
            field="meeting",
        )
    version = opinion.draft_version()
    if version is None:
        last = opinion.versions.order_by("-number").first()
        if last is not None and last.decision is not None:
            same = same_sheet(
                last.decision,
                meeting_id=meeting_id,
                agenda_item_id=agenda_item_id,
                method=method,
                votes=votes,
                casting_vote=casting_vote,
            )
            if same:
                return last.decision
        _check_changeable(opinion)
        raise OpinionError(
            f"{opinion.label} « {opinion.title} » n'a pas de version en préparation : rédigez une "
            "nouvelle version pour la soumettre au vote.",
        )
    _check_changeable(opinion)
    _check_ready(version)
    _check_after_consultation(opinion, meeting)
    check_item_open(opinion, agenda_item_id)
    decision = record_decision(
        meeting_id=meeting_id,
        agenda_item_id=agenda_item_id,
        method=method,
        votes=votes,
        present=present,
        represented=represented,
        casting_vote=casting_vote,
        title=vote_title(opinion, version),
        note=note,
        source=source,
        actor=actor,
        now=now,
    )
    if hasattr(decision, "opinion_version") or decision.answer_ratings.exists():
        raise OpinionError("Cette décision porte déjà sur un autre texte.", field="agenda_item")
    version.decision = decision
    previous = None
    if decision.adopted:
        previous = opinion.current_version()
        if previous is not None:
            previous.state = OpinionVersion.State.SUPERSEDED
            previous.save(update_fields=["state"])
        version.state = OpinionVersion.State.ADOPTED
        if opinion.number is None:
            # Lock: two opinions adopted at once must get two numbers.
            Call.objects.select_for_update().get(pk=opinion.call_id)
            last_number = Opinion.objects.filter(
                call_id=opinion.call_id, kind=opinion.kind
            ).aggregate(n=Max("number"))["n"]
            opinion.number = (last_number or 0) + 1
        opinion.state = Opinion.State.ADOPTED
        opinion.save(update_fields=["number", "state"])
    else:
        version.state = OpinionVersion.State.REJECTED
    version.save(update_fields=["decision", "state"])
    log_action(
        opinion,
        "opinion.adopted" if decision.adopted else "opinion.rejected",
        actor=actor,
        data={
            "version": version.number,
            "decision": decision.pk,
            "meeting": meeting_id,
            "method": decision.method,
            "result": decision.result_sentence,
            "number": opinion.number,
            "superseded": previous.number if previous else None,
        },
    )
    return decision


@transaction.atomic
def send_to_city(
    *,
    opinion_id: int,
    sent_on: dt.date,
    sent_to: str = "",
    actor=None,
    now: dt.datetime | None = None,
) -> Opinion:
    """Send the adopted version to the City on ``sent_on``: the public clock starts. Audited ``opinion.sent``.

    Refused before adoption, twice, while a new version is being drafted (adopt
    or discard it first), and for a date in the future or before the vote.
    The answer is expected within ``Rules.answer_deadline_days`` (read at
    each display: changing the rule moves the deadline).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    # Lock: two « Transmettre » clicks must send once.
    opinion = Opinion.objects.select_for_update().get(pk=opinion_id)
    if opinion.state == Opinion.State.SENT:
        assert opinion.sent_on is not None
        raise OpinionError(
            f"{opinion.label} « {opinion.title} » a déjà été transmis{opinion.e} à la Ville le "
            f"{fr_day(opinion.sent_on)}."
        )
    _check_changeable(opinion)
    version = opinion.current_version()
    if opinion.state != Opinion.State.ADOPTED or version is None:
        raise OpinionError(
            f"{opinion.label} « {opinion.title} » n'a pas encore été adopté par le conseil : seul "
            "un texte adopté est transmis à la Ville."
        )
    draft = opinion.draft_version()
    if draft is not None:
        raise OpinionError(
            f"Une version {draft.number} est en préparation : soumettez-la au vote ou abandonnez-la "
            "avant de transmettre (la Ville répond au texte transmis, qui ne change plus ensuite)."
        )
    voted_on = version.voted_on
    assert voted_on is not None
    if sent_on > today:
        raise OpinionError(
            f"La date d'envoi ({fr_day(sent_on)}) est dans le futur : enregistrez l'envoi le jour où "
            "il part.",
            field="sent_on",
        )
    if sent_on < voted_on:
        raise OpinionError(
            f"La date d'envoi ({fr_day(sent_on)}) précède l'adoption du texte, le "
            f"{fr_day(voted_on)}.",
            field="sent_on",
        )
    opinion.state = Opinion.State.SENT
    opinion.sent_version = version
    opinion.sent_on = sent_on
    opinion.sent_to = (sent_to or "").strip()
    opinion.save(update_fields=["state", "sent_version", "sent_on", "sent_to"])
    clock = clock_for(opinion, today=today)
    log_action(
        opinion,
        "opinion.sent",
        actor=actor,
        data={
            "version": version.number,
            "sent_on": sent_on.isoformat(),
            "sent_to": opinion.sent_to,
            "deadline_days": clock.deadline_days,
            "due_on": clock.due_on.isoformat() if clock.due_on else None,
        },
    )
    return opinion


@dataclass(frozen=True)
class VotingSheet:
    """The printable voting sheet of one text at one meeting, as plain data (the PDF is phase B's).

    Staff fill the boxes by hand during the meeting, then type them into
    ``adopt`` (the same figures as ``record_decision``). ``quorum_required``
    is 0 for a second convocation under the default rules.
    """

    council_name: str
    city_name: str
    meeting_title: str
    meeting_starts_at: dt.datetime
    place: str
    agenda_item: str
    decision_title: str
    label: str
    version: int
    summary: str
    recommendations: tuple[tuple[int, str], ...]
    minority_view: bool
    in_office: int
    quorum_required: int
    quorum_rule: str
    majority_rule: str
    casting_vote: bool
    boxes: tuple[str, ...] = (
        "Membres présents (sur place ou à distance)",
        "Membres représentés (procurations)",
        "Votants",
        "Pour",
        "Contre",
        "Abstentions",
    )


def voting_sheet(*, opinion_id: int, meeting_id: int, agenda_item_id: int) -> VotingSheet:
    """What the voting sheet of the draft version of ``opinion_id`` says for ``meeting_id``.

    Raises ``OpinionError`` when there is no version to vote, or the item is
    not on that meeting's agenda.
    """
    opinion = Opinion.objects.select_related("call").get(pk=opinion_id)
    meeting = Meeting.objects.get(pk=meeting_id)
    item = meeting.agenda_items.filter(pk=agenda_item_id).first()
    if item is None:
        raise OpinionError(
            "Ce point n'est pas à l'ordre du jour de cette réunion.", field="agenda_item"
        )
    version = opinion.draft_version()
    if version is None:
        raise OpinionError(
            f"{opinion.label} « {opinion.title} » n'a pas de version en préparation à soumettre "
            "au vote."
        )
    rules = Rules.for_call(opinion.call_id)
    quorum = quorum_for(meeting)
    return VotingSheet(
        council_name=opinion.call.council_name,
        city_name=opinion.call.city_name,
        meeting_title=meeting.title,
        meeting_starts_at=meeting.starts_at,
        place=meeting.place,
        agenda_item=item.title,
        decision_title=vote_title(opinion, version),
        label=opinion.label,
        version=version.number,
        summary=version.summary,
        recommendations=tuple((r.number, r.text) for r in version.recommendations.all()),
        minority_view=bool(version.minority_view),
        in_office=quorum.in_office,
        quorum_required=quorum.required,
        quorum_rule=rules.quorum_label,
        majority_rule=rules.get_majority_base_display(),
        casting_vote=rules.casting_vote,
    )
