"""Open a consultation, complete its project sheet, record the members' contributions.

Rules enforced here: a consultation has a context, an easy-to-read summary,
a service in charge and at least one question, and a deadline not in the
past; contributions come from members in office on the day they were
received, to a question of that consultation (or as a general comment);
after the deadline only staff record one, marked late with the reason; a
member online cannot mark a contribution late. The same contribution sent
twice is stored once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import File
from django.db import transaction
from django.db.models import Count, F, Max
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.calls.models import Call
from tirage.council.models import Member
from tirage.meetings.models import Source
from tirage.meetings.office import in_office, member_name, out_of_office_reason
from tirage.meetings.services.common import actor_label, check_source, user_or_none
from tirage.opinions.errors import OpinionError
from tirage.opinions.models import Consultation, ConsultationDocument, Contribution, Question
from tirage.opinions.services.common import check_url, working_group_for
from tirage.site.dates import french_date as fr_day
from tirage.site.wording import plural

MAX_CONTRIBUTION = 10_000  # characters: about four typed pages


@dataclass(frozen=True)
class QuestionText:
    """A question of a consultation as staff type it: the question and optional precisions."""

    text: str
    help_text: str = ""


def _questions(items: Sequence[str | QuestionText]) -> list[QuestionText]:
    out = []
    for i, item in enumerate(items, start=1):
        q = QuestionText(item) if isinstance(item, str) else item
        q = QuestionText(q.text.strip(), q.help_text.strip())
        if not q.text:
            raise OpinionError(f"La question n° {i} est vide.", field="questions")
        out.append(q)
    return out


@transaction.atomic
def open_consultation(
    *,
    call_id: int,
    title: str,
    context: str,
    summary: str,
    service: str,
    stage: str,
    deadline: dt.date,
    questions: Sequence[str | QuestionText],
    working_group_id: int | None = None,
    actor=None,
    now: dt.datetime | None = None,
) -> Consultation:
    """Open a consultation of council ``call_id`` on a project of the City; audited ``consultation.opened``.

    ``questions`` are numbered 1, 2, … in the order given; ``stage`` is a
    ``Consultation.Stage`` value; ``deadline`` the last day contributions
    are received (today or later). Documents are added with
    ``add_document``. Raises ``OpinionError`` (French, with ``field``) and
    saves nothing when a field is missing or the deadline is past.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    Call.objects.get(pk=call_id)
    values = {
        "title": ((title or "").strip(), "Donnez le nom du projet."),
        "context": ((context or "").strip(), "Décrivez le contexte du projet."),
        "summary": (
            (summary or "").strip(),
            "Écrivez le résumé facile à lire et à comprendre (FALC) : il est publié à côté du "
            "contexte.",
        ),
        "service": (
            (service or "").strip(),
            "Indiquez le service de la Ville en charge du projet.",
        ),
    }
    for field, (value, message) in values.items():
        if not value:
            raise OpinionError(message, field=field)
    if stage not in Consultation.Stage.values:
        raise OpinionError(
            "Étape inconnue : idée, conception, expérimentation ou en service.", field="stage"
        )
    if deadline < today:
        raise OpinionError(
            f"La date limite ({fr_day(deadline)}) est déjà passée (nous sommes le {fr_day(today)}).",
            field="deadline",
        )
    items = _questions(questions)
    if not items:
        raise OpinionError("Posez au moins une question au conseil.", field="questions")
    group = working_group_for(call_id, working_group_id, today)
    consultation = Consultation.objects.create(
        call_id=call_id,
        title=values["title"][0],
        context=values["context"][0],
        summary=values["summary"][0],
        service=values["service"][0],
        stage=stage,
        opened_on=today,
        deadline=deadline,
        working_group=group,
        created_at=now,
        created_by=user_or_none(actor),
    )
    Question.objects.bulk_create(
        [
            Question(consultation=consultation, number=i, text=q.text, help_text=q.help_text)
            for i, q in enumerate(items, start=1)
        ]
    )
    log_action(
        consultation,
        "consultation.opened",
        actor=actor,
        data={
            "title": consultation.title,
            "stage": stage,
            "deadline": deadline.isoformat(),
            "questions": len(items),
            "group": group.pk if group else None,
        },
    )
    return consultation


@transaction.atomic
def add_question(
    *,
    consultation_id: int,
    text: str,
    help_text: str = "",
    actor=None,
    now: dt.datetime | None = None,
) -> Question:
    """Add a question at the end while the consultation is open; audited ``consultation.question_added``.

    Questions already asked never change (members may have answered them).
    """
    now = now or timezone.now()
    # Lock: two questions added at once must get two numbers.
    consultation = Consultation.objects.select_for_update().get(pk=consultation_id)
    if not consultation.is_open(timezone.localdate(now)):
        raise OpinionError(
            f"La consultation « {consultation.title} » est close depuis le "
            f"{fr_day(consultation.deadline + dt.timedelta(days=1))} : on n'y ajoute plus de question."
        )
    (item,) = _questions([QuestionText(text or "", help_text or "")])
    last = consultation.questions.aggregate(n=Max("number"))["n"] or 0
    question = Question.objects.create(
        consultation=consultation, number=last + 1, text=item.text, help_text=item.help_text
    )
    log_action(
        consultation,
        "consultation.question_added",
        actor=actor,
        data={"question": question.pk, "number": question.number},
    )
    return question


@transaction.atomic
def add_document(
    *,
    consultation_id: int,
    title: str,
    url: str = "",
    file: File | None = None,
    actor=None,
    now: dt.datetime | None = None,
) -> ConsultationDocument:
    """Attach a document to the project sheet: a link (``url``) or a ``file``, not both. Audited."""
    now = now or timezone.now()
    consultation = Consultation.objects.get(pk=consultation_id)
    title = (title or "").strip()
    if not title:
        raise OpinionError("Donnez un titre au document.", field="title")
    if bool((url or "").strip()) == (file is not None):
        raise OpinionError(
            "Donnez soit l'adresse du document, soit le fichier (l'un des deux).", field="url"
        )
    document = ConsultationDocument(
        consultation=consultation, title=title, added_at=now, added_by=user_or_none(actor)
    )
    if file is not None:
        document.file.save(file.name or "document", file, save=False)
    else:
        document.url = check_url(url)
    document.save()
    log_action(
        consultation,
        "consultation.document_added",
        actor=actor,
        data={"document": document.pk, "title": title, "url": document.url},
    )
    return document


@transaction.atomic
def assign_working_group(
    *,
    consultation_id: int,
    working_group_id: int | None,
    actor=None,
    now: dt.datetime | None = None,
) -> Consultation:
    """A working group takes the consultation in hand (``None``: none any more). Audited."""
    now = now or timezone.now()
    # Lock: two groups assigned at once must leave one.
    consultation = Consultation.objects.select_for_update().get(pk=consultation_id)
    group = working_group_for(consultation.call_id, working_group_id, timezone.localdate(now))
    if consultation.working_group_id == working_group_id:
        return consultation
    before = consultation.working_group_id
    consultation.working_group = group
    consultation.save(update_fields=["working_group"])
    log_action(
        consultation,
        "consultation.group_assigned",
        actor=actor,
        data={"from": before, "to": working_group_id},
    )
    return consultation


# -- contributions ---------------------------------------------------------------


def _check_contributor(consultation: Consultation, member: Member, day: dt.date) -> None:
    if member.call_id != consultation.call_id:
        raise OpinionError(f"{member_name(member)} n'est pas membre de ce conseil.", field="member")
    if not in_office(member, day):
        raise OpinionError(
            f"{member_name(member)} n'est pas membre en exercice le {fr_day(day)} "
            f"({out_of_office_reason(member, day)}).",
            field="member",
        )


def _check_timing(
    consultation: Consultation,
    *,
    received_on: dt.date,
    today: dt.date,
    source: str,
    late: bool,
    late_reason: str,
) -> None:
    if received_on > today:
        raise OpinionError(
            f"La date de réception ({fr_day(received_on)}) est dans le futur.", field="received_on"
        )
    if received_on < consultation.opened_on:
        raise OpinionError(
            f"La consultation a ouvert le {fr_day(consultation.opened_on)} : une contribution ne "
            f"peut pas dater du {fr_day(received_on)}.",
            field="received_on",
        )
    after = (received_on - consultation.deadline).days
    if after <= 0:
        if late:
            raise OpinionError(
                f"Contribution reçue le {fr_day(received_on)}, dans le délai (jusqu'au "
                f"{fr_day(consultation.deadline)} inclus) : elle n'est pas en retard.",
                field="late",
            )
        return
    if not late:
        raise OpinionError(
            f"La consultation « {consultation.title} » est close : la date limite était le "
            f"{fr_day(consultation.deadline)} et la contribution arrive le {fr_day(received_on)}, "
            f"{plural(after, 'jour')} après. Seuls les services peuvent l'enregistrer, en la "
            "marquant « en retard » avec le motif.",
            field="late",
        )
    if source == Source.ONLINE:
        raise OpinionError(
            "Seuls les services peuvent accepter une contribution en retard.", field="late"
        )
    if not late_reason:
        raise OpinionError(
            "Indiquez pourquoi la contribution en retard est acceptée (« livret déposé à la "
            "mairie de quartier le 14, transmis le 17 »).",
            field="late_reason",
        )


def contribute(
    *,
    consultation_id: int,
    member_id: int,
    text: str,
    source: str,
    question_id: int | None = None,
    consent_to_quote: bool = False,
    received_on: dt.date | None = None,
    late: bool = False,
    late_reason: str = "",
    actor=None,
    now: dt.datetime | None = None,
) -> tuple[Contribution, bool]:
    """Record a member's answer to ``question_id`` (``None``: a general comment); returns ``(contribution, created)``.

    ``source``: ``online`` (the member, received today), ``paper`` (typed
    from the booklet; ``received_on`` is the day it arrived, default today)
    or ``staff``. After the deadline, only staff record it, with
    ``late=True`` and ``late_reason``. The same text from the same member
    on the same question is stored once (a double submit returns the first).
    Audited ``contribution.recorded``. Raises ``OpinionError``.
    """
    return _contribute_many(
        consultation_id=consultation_id,
        member_id=member_id,
        lines=[(question_id, text)],
        source=source,
        consent_to_quote=consent_to_quote,
        received_on=received_on,
        late=late,
        late_reason=late_reason,
        actor=actor,
        now=now,
    )[0]


def record_booklet(
    *,
    consultation_id: int,
    member_id: int,
    answers: dict[int, str],
    comment: str = "",
    consent_to_quote: bool = False,
    received_on: dt.date | None = None,
    late: bool = False,
    late_reason: str = "",
    actor=None,
    now: dt.datetime | None = None,
) -> list[tuple[Contribution, bool]]:
    """Type back a paper booklet: ``answers`` maps question ids to the member's text (blank ones skipped).

    ``comment`` is the free comment at the end. All or nothing: one wrong
    line saves none (every error listed). Source ``paper``. Returns
    ``(contribution, created)`` per non-empty answer, in question order.
    """
    lines: list[tuple[int | None, str]] = [
        (qid, text) for qid, text in answers.items() if (text or "").strip()
    ]
    if (comment or "").strip():
        lines.append((None, comment))
    if not lines:
        raise OpinionError("Le livret ne contient aucune réponse : rien à enregistrer.")
    return _contribute_many(
        consultation_id=consultation_id,
        member_id=member_id,
        lines=lines,
        source=Source.PAPER,
        consent_to_quote=consent_to_quote,
        received_on=received_on,
        late=late,
        late_reason=late_reason,
        actor=actor,
        now=now,
    )


def _contribute_many(
    *,
    consultation_id: int,
    member_id: int,
    lines: list[tuple[int | None, str]],
    source: str,
    consent_to_quote: bool,
    received_on: dt.date | None,
    late: bool,
    late_reason: str,
    actor,
    now: dt.datetime | None,
) -> list[tuple[Contribution, bool]]:
    check_source(source)
    now = now or timezone.now()
    today = timezone.localdate(now)
    if source == Source.ONLINE and received_on not in (None, today):
        raise ValueError("an online contribution is received the day it is sent")
    received_on = received_on or today
    late_reason = (late_reason or "").strip()
    with transaction.atomic():
        # Lock: the deadline (``extend_deadline``) must not move while this is checked.
        consultation = Consultation.objects.select_for_update().get(pk=consultation_id)
        member = Member.objects.select_related("application").get(pk=member_id)
        _check_contributor(consultation, member, received_on)
        _check_timing(
            consultation,
            received_on=received_on,
            today=today,
            source=source,
            late=late,
            late_reason=late_reason,
        )
        questions = {q.pk: q for q in consultation.questions.all()}
        errors, cleaned = [], []
        for question_id, text in sorted(lines, key=lambda x: _order(x[0], questions)):
            label = (
                f"Question n° {questions[question_id].number}"
                if question_id in questions
                else "Commentaire"
            )
            if question_id is not None and question_id not in questions:
                errors.append(
                    f"Cette question n'appartient pas à la consultation « {consultation.title} »."
                )
                continue
            text = (text or "").strip()
            if not text:
                errors.append(f"{label} : la contribution est vide.")
            elif len(text) > MAX_CONTRIBUTION:
                errors.append(
                    f"{label} : {len(text)} caractères, la limite est {MAX_CONTRIBUTION} "
                    f"({len(text) - MAX_CONTRIBUTION} de trop)."
                )
            else:
                cleaned.append((question_id, text))
        if errors:
            error = OpinionError.many(errors)
            error.field = "text"
            raise error
        results = []
        for question_id, text in cleaned:
            same = Contribution.objects.filter(
                consultation=consultation,
                member=member,
                question__isnull=question_id is None,
                text=text,
            )
            if question_id is not None:
                same = same.filter(question_id=question_id)
            existing = same.first()
            if existing is not None:
                results.append((existing, False))
                continue
            contribution = Contribution.objects.create(
                consultation=consultation,
                question_id=question_id,
                member=member,
                text=text,
                consent_to_quote=consent_to_quote,
                source=source,
                received_on=received_on,
                late=late,
                late_reason=late_reason if late else "",
                submitted_at=now,
                recorded_by=user_or_none(actor),
            )
            log_action(
                contribution,
                "contribution.recorded",
                actor=actor,
                actor_label=actor_label(source),
                reason=late_reason if late else "",
                data={
                    "consultation": consultation.pk,
                    "question": question_id,
                    "member": member.pk,
                    "source": source,
                    "late": late,
                    "received_on": received_on.isoformat(),
                    "consent_to_quote": consent_to_quote,
                },
            )
            results.append((contribution, True))
        return results


def _order(question_id: int | None, questions: dict[int, Question]) -> int:
    if question_id is None:
        return 10_000  # the general comment comes last
    question = questions.get(question_id)
    return question.number if question else 0


# -- what the public and the drafters see ------------------------------------------


@dataclass(frozen=True)
class QuestionCount:
    number: int
    text: str
    contributions: int


@dataclass(frozen=True)
class ContributionCounts:
    """Anonymous counts of a consultation's contributions (public)."""

    total: int
    members: int
    online: int
    paper: int
    staff: int
    late: int
    comments: int  # general comments, not tied to a question
    quotable: int
    by_question: tuple[QuestionCount, ...]

    def sentence(self) -> str:
        """« 14 contributions de 9 membres (9 en ligne, 5 sur papier), dont 1 en retard. »"""
        if not self.total:
            return "Aucune contribution."
        parts = []
        if self.online:
            parts.append(f"{self.online} en ligne")
        if self.paper:
            parts.append(f"{self.paper} sur papier")
        if self.staff:
            parts.append(f"{self.staff} par les services")
        text = (
            f"{plural(self.total, 'contribution')} de {plural(self.members, 'membre')} "
            f"({', '.join(parts)})"
        )
        if self.late:
            text += f", dont {self.late} en retard"
        return text + "."


def contribution_counts(consultation_id: int) -> ContributionCounts:
    """Counts of the contributions (three aggregate queries); no text, no names."""
    contributions = Contribution.objects.filter(consultation_id=consultation_id)
    by_source = dict(
        contributions.values_list("source").annotate(n=Count("id")).values_list("source", "n")
    )
    figures = contributions.aggregate(
        total=Count("id"),
        members=Count("member", distinct=True),
    )
    late = contributions.filter(late=True).count()
    quotable = contributions.filter(consent_to_quote=True).count()
    questions = (
        Question.objects.filter(consultation_id=consultation_id)
        .annotate(n=Count("contributions"))
        .order_by("number")
    )
    by_question = tuple(QuestionCount(q.number, q.text, q.n) for q in questions)
    return ContributionCounts(
        total=figures["total"],
        members=figures["members"],
        online=by_source.get(Source.ONLINE, 0),
        paper=by_source.get(Source.PAPER, 0),
        staff=by_source.get(Source.STAFF, 0),
        late=late,
        comments=figures["total"] - sum(q.contributions for q in by_question),
        quotable=quotable,
        by_question=by_question,
    )


@dataclass(frozen=True)
class Quote:
    """A sentence a member agreed to have quoted (never their name)."""

    question_number: int | None
    text: str
    received_on: dt.date


def quotes(consultation_id: int) -> list[Quote]:
    """The contributions whose authors agreed to be quoted, by question then date; anonymous."""
    rows = (
        Contribution.objects.filter(consultation_id=consultation_id, consent_to_quote=True)
        .select_related("question")
        # General comments (no question) last, on SQLite as on PostgreSQL.
        .order_by(F("question__number").asc(nulls_last=True), "received_on", "id")
    )
    return [Quote(c.question.number if c.question else None, c.text, c.received_on) for c in rows]


@dataclass(frozen=True)
class DigestLine:
    """One contribution for the drafters (staff and the working group): text, source, who."""

    question_number: int | None
    text: str
    source: str
    late: bool
    received_on: dt.date
    member_id: int
    member_name: str
    consent_to_quote: bool


def contributions_digest(consultation_id: int) -> list[DigestLine]:
    """Every contribution grouped by question (comments last), for drafting the opinion. Not public: names."""
    rows = (
        Contribution.objects.filter(consultation_id=consultation_id)
        .select_related("question", "member__application")
        .order_by("question__number", "received_on", "id")
    )
    lines = [
        DigestLine(
            c.question.number if c.question else None,
            c.text,
            c.get_source_display(),
            c.late,
            c.received_on,
            c.member_id,
            member_name(c.member),
            c.consent_to_quote,
        )
        for c in rows
    ]
    return sorted(lines, key=lambda x: (x.question_number is None, x.question_number or 0))


# -- the paper booklet ---------------------------------------------------------------


@dataclass(frozen=True)
class BookletQuestion:
    number: int
    text: str
    help_text: str
    lines: int  # ruled lines left to write on


@dataclass(frozen=True)
class Booklet:
    """What the printed consultation booklet says, as plain data (the PDF is rendered by ``letters``).

    ``member_name`` and ``receipt_code`` are set for a booklet printed for one
    member, so that staff know whose answers they type back.
    """

    council_name: str
    city_name: str
    title: str
    service: str
    stage: str
    context: str
    summary: str
    deadline: dt.date
    deadline_sentence: str
    questions: tuple[BookletQuestion, ...]
    documents: tuple[tuple[str, str], ...]  # (title, url) — files are listed by title
    return_instructions: str
    consent_sentence: str
    member_name: str = ""
    receipt_code: str = ""


LINES_PER_QUESTION = 10


def booklet(*, consultation_id: int, member_id: int | None = None) -> Booklet:
    """The consultation booklet's content (questions with space to write), for one member or blank."""
    consultation = Consultation.objects.select_related("call").get(pk=consultation_id)
    name = code = ""
    if member_id is not None:
        member = Member.objects.select_related("application").get(pk=member_id)
        if member.call_id != consultation.call_id:
            raise OpinionError(f"{member_name(member)} n'est pas membre de ce conseil.")
        name, code = member_name(member), member.application.receipt_code
    return Booklet(
        council_name=consultation.call.council_name,
        city_name=consultation.call.city_name,
        title=consultation.title,
        service=consultation.service,
        stage=consultation.get_stage_display(),
        context=consultation.context,
        summary=consultation.summary,
        deadline=consultation.deadline,
        deadline_sentence=f"À rendre au plus tard le {fr_day(consultation.deadline)}.",
        questions=tuple(
            BookletQuestion(q.number, q.text, q.help_text, LINES_PER_QUESTION)
            for q in consultation.questions.order_by("number")
        ),
        documents=tuple(
            (d.title, d.url) for d in consultation.documents.order_by("added_at", "id")
        ),
        return_instructions=(
            "Rendez ce livret à l'accueil de votre mairie de quartier, par courrier, ou lors de la "
            "prochaine réunion du conseil. Vous pouvez ne répondre qu'à certaines questions."
        ),
        consent_sentence=(
            "☐ J'accepte que mes phrases soient citées sur les pages publiques du conseil, sans "
            "mon nom."
        ),
        member_name=name,
        receipt_code=code,
    )
