"""Demo data for the council's consultations and opinions, relative to today, built through the real services.

Two consultations of the City — its online procedures portal and a digital
help desk in the mairies de quartier — with the members' contributions
(online and on paper, one accepted late), and three adopted opinions:

* « Portail des démarches en ligne »: answered on time, commitments under
  way and done, rated by the council (the « response to the response »);
* « Accessibilité des services numériques »: the council's own initiative,
  sent to the City and still unanswered past the deadline (late);
* « Guichet d'aide numérique »: partly accepted, its commitments half done.

Plus a member's proposal waiting for a meeting and one withdrawn. Meetings
are plenaries planned, convened and held through ``tirage.meetings``;
votes go through ``record_decision``. **Every text is fictional.** The
council must have members in office since at least ``SPAN_DAYS`` days
before ``today``. :func:`seed_opinions` is idempotent: a second run
changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tirage.calls.models import PARIS, Call
from tirage.council.models import Member
from tirage.meetings.models import AgendaItem, Meeting, Presence, Source, WorkingGroup
from tirage.meetings.office import members_in_office
from tirage.meetings.services.attendance import Mark, close_register, record_attendance
from tirage.meetings.services.convocations import convene
from tirage.meetings.services.groups import create_working_group
from tirage.meetings.services.schedule import add_agenda_item, plan_meeting
from tirage.meetings.voting import Votes
from tirage.opinions.models import (
    Answer,
    CityResponse,
    Commitment,
    Consultation,
    Contribution,
    Opinion,
)
from tirage.opinions.services import answers, commitments, consultations, opinions

SPAN_DAYS = 340
PORTAL = "Portail des démarches en ligne"
HELP_DESK = "Guichet d'aide numérique dans les mairies de quartier"
ACCESSIBILITY = "Accessibilité des services numériques de la Ville"
FICTIONAL = "(Texte fictif de démonstration.)"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=PARIS)


class _Timeline:
    def __init__(self, today: dt.date) -> None:
        self.today = today

    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def at(self, days_ago: int, hour: int = 10) -> dt.datetime:
        return _at(self.day(days_ago), hour)


def _plenary(call: Call, t: _Timeline, days_ago: int, titles: list[str], actor) -> Meeting:
    """A plenary ``days_ago`` days before today at 18:00, convened a month before, held with 1–2 excused."""
    when = t.at(days_ago, 18)
    planned = when - dt.timedelta(days=30)
    meeting = plan_meeting(
        call_id=call.pk,
        title=f"Séance plénière — {titles[0]}",
        starts_at=when,
        place="Hôtel de ville, salle du conseil",
        address="17 Grand-Place, 59100 Roubaix",
        access_info="Entrée accessible en fauteuil par la rue du Château ; boucle magnétique.",
        actor=actor,
        now=planned,
    )
    for title in titles:
        add_agenda_item(
            meeting_id=meeting.pk, title=title, kind=AgendaItem.Kind.DECISION, now=planned
        )
    convene(meeting_id=meeting.pk, actor=actor, now=planned)
    members = list(members_in_office(call, t.day(days_ago)))
    excused = {m.pk for m in members[days_ago % 3 :: 9]}
    marks = [Mark(m.pk, Presence.EXCUSED if m.pk in excused else Presence.PRESENT) for m in members]
    record_attendance(
        meeting_id=meeting.pk, marks=marks, actor=actor, now=when + dt.timedelta(minutes=15)
    )
    close_register(meeting_id=meeting.pk, actor=actor, now=meeting.ends_at)
    meeting.refresh_from_db()
    return meeting


def _item(meeting: Meeting, title: str) -> int:
    return meeting.agenda_items.get(title=title).pk


def _present(meeting: Meeting) -> int:
    return meeting.attendances.filter(status=Presence.PRESENT).count()


def _group(call: Call, t: _Timeline, members: list[Member], actor) -> WorkingGroup:
    group = WorkingGroup.objects.filter(call=call, name="Démarches en ligne").first()
    if group is not None:
        return group
    return create_working_group(
        call_id=call.pk,
        name="Démarches en ligne",
        mission="Suivre les projets de démarches en ligne de la Ville.",
        member_ids=[m.pk for m in members[:5]],
        actor=actor,
        now=t.at(335),
    )


PORTAL_CONTRIBUTIONS = [
    # (question number or None, source, consent, days ago, text)
    (1, Source.ONLINE, True, 328, "J'inscris mes enfants à la cantine en ligne, c'est pratique."),
    (2, Source.ONLINE, True, 326, "Le site me déconnecte au bout de cinq minutes : je perds tout."),
    (2, Source.PAPER, False, 320, "Les caractères sont trop petits, je n'arrive pas à lire."),
    (
        3,
        Source.PAPER,
        True,
        318,
        "Il faut garder quelqu'un au guichet pour ceux qui n'ont pas d'ordinateur.",
    ),
    (3, Source.ONLINE, False, 315, "Une aide par téléphone, avec une vraie personne."),
    (1, Source.PAPER, False, 312, "Aucune : je vais toujours à la mairie de quartier."),
    (None, Source.ONLINE, True, 306, "Merci de nous demander notre avis avant de lancer le site."),
    (2, Source.STAFF, False, 304, "Les messages d'erreur ne disent pas ce qu'il faut corriger."),
]
HELP_DESK_CONTRIBUTIONS = [
    (1, Source.ONLINE, True, 198, "Le samedi matin, quand on ne travaille pas."),
    (2, Source.PAPER, True, 195, "Une personne patiente, qui explique sans faire à notre place."),
    (1, Source.PAPER, False, 190, "Le mercredi après-midi pour les parents."),
    (2, Source.ONLINE, False, 186, "Il faut pouvoir venir sans rendez-vous."),
    (None, Source.PAPER, True, 182, "Pensez aux personnes qui ne parlent pas bien français."),
]


def _consultation(
    call: Call,
    t: _Timeline,
    *,
    title: str,
    opened: int,
    deadline: int,
    stage: str,
    service: str,
    context: str,
    summary: str,
    questions: list[str],
    contributions: list,
    group: WorkingGroup | None,
    actor,
) -> Consultation:
    consultation = consultations.open_consultation(
        call_id=call.pk,
        title=title,
        context=f"{context} {FICTIONAL}",
        summary=summary,
        service=service,
        stage=stage,
        deadline=t.day(deadline),
        questions=questions,
        working_group_id=group.pk if group else None,
        actor=actor,
        now=t.at(opened),
    )
    consultations.add_document(
        consultation_id=consultation.pk,
        title="Fiche projet (exemple)",
        url="https://www.ville-roubaix.fr/",
        actor=actor,
        now=t.at(opened),
    )
    numbers = {q.number: q.pk for q in consultation.questions.all()}
    members = list(members_in_office(call, t.day(opened)))
    for i, (number, source, consent, days_ago, text) in enumerate(contributions):
        consultations.contribute(
            consultation_id=consultation.pk,
            member_id=members[(i * 3) % len(members)].pk,
            question_id=numbers[number] if number else None,
            text=text,
            source=source,
            consent_to_quote=consent,
            actor=None if source == Source.ONLINE else actor,
            now=t.at(days_ago, 20),
        )
    return consultation


def _adopt(opinion: Opinion, meeting: Meeting, title: str, *, votes: Votes | None, actor) -> None:
    opinions.adopt(
        opinion_id=opinion.pk,
        meeting_id=meeting.pk,
        agenda_item_id=_item(meeting, title),
        method="vote" if votes else "consensus",
        votes=votes,
        actor=actor,
        now=meeting.starts_at + dt.timedelta(hours=1),
    )


def _members_told(response: CityResponse, when: dt.datetime, actor) -> None:
    """The members were told of ``response`` the day it was recorded (e-mails sent, letters printed):
    months later, the staff must not see these notices as still to send."""
    answers.mark_notices_delivered(
        notice_ids=list(response.notices.values_list("pk", flat=True)), actor=actor, now=when
    )


def _votes(meeting: Meeting, against: int, abstentions: int) -> Votes:
    present = _present(meeting)
    return Votes(present, present - against - abstentions, against, abstentions)


def _portal(call: Call, t: _Timeline, group: WorkingGroup, actor) -> Opinion:
    consultation = _consultation(
        call,
        t,
        title=PORTAL,
        opened=330,
        deadline=303,
        stage=Consultation.Stage.DESIGN,
        service="Direction de la relation aux usagers",
        context="La Ville remplace son portail de démarches en ligne (état civil, inscriptions "
        "scolaires, signalements). Elle consulte le conseil pendant la conception.",
        summary="La Ville fait un nouveau site pour les démarches. Elle demande au conseil ce qui "
        "marche, ce qui bloque, et comment aider ceux qui n'ont pas internet.",
        questions=[
            "Quelles démarches faites-vous en ligne aujourd'hui ?",
            "Qu'est-ce qui vous bloque sur le portail actuel ?",
            "Que faut-il prévoir pour les personnes sans ordinateur ?",
        ],
        contributions=PORTAL_CONTRIBUTIONS,
        group=group,
        actor=actor,
    )
    # A booklet that reached the mairie de quartier in time, typed three days after the deadline.
    late_member = list(members_in_office(call, t.day(302)))[1]
    consultations.contribute(
        consultation_id=consultation.pk,
        member_id=late_member.pk,
        question_id=consultation.questions.get(number=3).pk,
        text="Des ateliers pour apprendre à faire ses démarches, près de chez soi.",
        source=Source.PAPER,
        received_on=t.day(302),
        late=True,
        late_reason="Livret déposé à la mairie de quartier Est, transmis au service après la date limite.",
        actor=actor,
        now=t.at(302),
    )
    opinion = opinions.draft_opinion(
        call_id=call.pk,
        title=PORTAL,
        text="Le conseil a recueilli les contributions de ses membres sur le futur portail. Il "
        "salue la mise en ligne de nouvelles démarches mais demande qu'aucun habitant ne soit "
        f"laissé de côté. {FICTIONAL}",
        summary="Le conseil est d'accord pour le nouveau site. Il demande : un guichet pour ceux "
        "qui n'ont pas internet, un site facile à lire, et des chiffres publiés.",
        minority_view="Deux membres auraient voulu que chaque démarche reste possible par courrier.",
        recommendations=[
            "Garder un accueil physique pour chaque démarche mise en ligne.",
            "Rendre le portail conforme au RGAA (accessibilité) dès son ouverture.",
            "Publier chaque trimestre le nombre de démarches faites en ligne et au guichet.",
        ],
        consultation_id=consultation.pk,
        working_group_id=group.pk,
        actor=actor,
        now=t.at(298),
    )
    return opinion


def _help_desk(call: Call, t: _Timeline, actor) -> Opinion:
    consultation = _consultation(
        call,
        t,
        title=HELP_DESK,
        opened=200,
        deadline=180,
        stage=Consultation.Stage.PILOT,
        service="Mairies de quartier",
        context="La Ville expérimente un guichet d'aide aux démarches en ligne dans deux mairies de "
        "quartier, avant de l'étendre aux cinq.",
        summary="La Ville essaie un guichet où l'on vous aide à faire vos démarches sur internet. "
        "Elle demande au conseil quand l'ouvrir et comment accueillir les gens.",
        questions=[
            "À quels jours et heures le guichet devrait-il être ouvert ?",
            "Comment les personnes devraient-elles y être accueillies ?",
        ],
        contributions=HELP_DESK_CONTRIBUTIONS,
        group=None,
        actor=actor,
    )
    return opinions.draft_opinion(
        call_id=call.pk,
        title=HELP_DESK,
        text="Le conseil soutient le guichet d'aide numérique et propose des horaires et un "
        f"accueil adaptés à ceux qui en ont le plus besoin. {FICTIONAL}",
        summary="Le conseil veut un guichet ouvert le samedi, sans rendez-vous, dans les cinq "
        "mairies de quartier, avec des aidants formés.",
        recommendations=[
            "Ouvrir le guichet le samedi matin et un soir par semaine.",
            "Accueillir sans rendez-vous au moins une demi-journée par semaine.",
            "Étendre le guichet aux cinq mairies de quartier en un an.",
            "Proposer une aide en plusieurs langues.",
        ],
        consultation_id=consultation.pk,
        actor=actor,
        now=t.at(176),
    )


def _accessibility(call: Call, t: _Timeline, actor) -> Opinion:
    return opinions.draft_opinion(
        call_id=call.pk,
        title=ACCESSIBILITY,
        text="De sa propre initiative, le conseil a testé dix démarches en ligne de la Ville avec "
        f"des membres malvoyants ou peu à l'aise avec le numérique. {FICTIONAL}",
        summary="Le conseil a testé des démarches sur internet. Beaucoup sont difficiles. Il "
        "demande à la Ville de les rendre plus faciles.",
        recommendations=[
            "Publier la déclaration d'accessibilité de chaque service en ligne.",
            "Faire tester chaque nouvelle démarche par des habitants avant son ouverture.",
        ],
        actor=actor,
        now=t.at(140),
    )


def seed_opinions(*, call: Call, today: dt.date | None = None, actor=None) -> dict[str, int]:
    """Seed the demo for ``call`` (idempotent); returns counts of what exists afterwards.

    Raises ``ValueError`` when fewer than ten members of ``call`` were in
    office ``SPAN_DAYS`` days before ``today`` (the history would not fit).
    """
    today = today or timezone.localdate()
    t = _Timeline(today)
    if not Consultation.objects.filter(call=call, title=PORTAL).exists():
        first = list(members_in_office(call, t.day(SPAN_DAYS)))
        if len(first) < 10:
            raise ValueError(
                f"the opinions demo needs at least 10 members in office since {t.day(SPAN_DAYS)} "
                f"({len(first)} found): install the council first"
            )
        with transaction.atomic():
            _seed(call, t, first, actor)
    mine = Opinion.objects.filter(call=call)
    return {
        "consultations": Consultation.objects.filter(call=call).count(),
        "contributions": Contribution.objects.filter(consultation__call=call).count(),
        "opinions": mine.filter(kind=Opinion.Kind.OPINION).exclude(number=None).count(),
        "proposals": mine.filter(kind=Opinion.Kind.PROPOSAL).count(),
        "answers": Answer.objects.filter(response__opinion__call=call).count(),
        "commitments": Commitment.objects.filter(answer__response__opinion__call=call).count(),
    }


def _seed(call: Call, t: _Timeline, members: list[Member], actor) -> None:
    group = _group(call, t, members, actor)
    portal = _portal(call, t, group, actor)
    # Opinion 1 — the portal: adopted, sent, answered on time, commitments, rated.
    first = _plenary(call, t, 285, [f"Avis : {PORTAL}"], actor)
    _adopt(portal, first, f"Avis : {PORTAL}", votes=_votes(first, 2, 1), actor=actor)
    opinions.send_to_city(
        opinion_id=portal.pk,
        sent_on=t.day(280),
        sent_to="Monsieur le Maire",
        actor=actor,
        now=t.at(280),
    )
    response = answers.record_answers(
        opinion_id=portal.pk,
        received_on=t.day(215),
        reference="Courrier du maire n° D-2025-118 (exemple)",
        summary="La Ville garde un guichet et rendra le site accessible. Elle ne publiera pas de "
        "chiffres par guichet.",
        lines=[
            answers.AnswerLine(
                "accepted",
                number=1,
                reasons="Chaque démarche en ligne restera possible à l'accueil des mairies.",
                service="Mairies de quartier",
                due_on=t.day(-60),
            ),
            answers.AnswerLine(
                "accepted",
                number=2,
                service="Direction du numérique",
                commitment="Audit RGAA du portail avant son ouverture, corrections publiées.",
                due_on=t.day(120),
            ),
            answers.AnswerLine(
                "rejected",
                number=3,
                reasons="Les guichets ne comptent pas encore les démarches faites sur place.",
            ),
        ],
        actor=actor,
        now=t.at(214),
    )
    _members_told(response, t.at(214, hour=16), actor)
    by_number = {a.recommendation.number: a for a in response.answers.all()}
    commitment = by_number[1].commitments.get()
    commitments.record_progress(
        commitment_id=commitment.pk,
        on=t.day(150),
        progress=40,
        text="Deux mairies de quartier ont un agent formé aux démarches en ligne.",
        links=[("Compte rendu du comité de suivi (exemple)", "https://www.ville-roubaix.fr/")],
        actor=actor,
        now=t.at(149),
    )
    commitments.record_progress(
        commitment_id=commitment.pk,
        on=t.day(40),
        progress=80,
        text="Quatre mairies de quartier sur cinq sont équipées.",
        actor=actor,
        now=t.at(39),
    )
    audit = by_number[2].commitments.get()
    commitments.record_progress(
        commitment_id=audit.pk,
        on=t.day(125),
        progress=100,
        text="Audit réalisé : 92 % des critères respectés, plan de corrections publié.",
        links=[
            ("Déclaration d'accessibilité (exemple)", "https://www.ville-roubaix.fr/accessibilite")
        ],
        actor=actor,
        now=t.at(124),
    )
    rating = _plenary(call, t, 190, ["Réponse de la Ville sur le portail"], actor)
    answers.rate_answers(
        opinion_id=portal.pk,
        meeting_id=rating.pk,
        agenda_item_id=_item(rating, "Réponse de la Ville sur le portail"),
        method="vote",
        votes=_votes(rating, 1, 2),
        ratings=[
            answers.RatingLine(by_number[1].pk, "satisfying", "L'accueil physique est garanti."),
            answers.RatingLine(by_number[2].pk, "satisfying", "Engagement précis et daté."),
            answers.RatingLine(
                by_number[3].pk,
                "unsatisfying",
                "Sans chiffres, le conseil ne peut pas suivre l'usage des guichets.",
            ),
        ],
        actor=actor,
        now=rating.starts_at + dt.timedelta(hours=1),
    )
    # Opinion 2 — the help desk: partly accepted, commitments half done.
    help_desk = _help_desk(call, t, actor)
    # Opinion 3 — accessibility, the council's own initiative: sent, no answer, late.
    accessibility = _accessibility(call, t, actor)
    second = _plenary(call, t, 165, [f"Avis : {HELP_DESK}", f"Avis : {ACCESSIBILITY}"], actor)
    _adopt(help_desk, second, f"Avis : {HELP_DESK}", votes=None, actor=actor)
    _adopt(
        accessibility, second, f"Avis : {ACCESSIBILITY}", votes=_votes(second, 0, 3), actor=actor
    )
    opinions.send_to_city(
        opinion_id=help_desk.pk,
        sent_on=t.day(160),
        sent_to="Monsieur le Maire",
        actor=actor,
        now=t.at(160),
    )
    opinions.send_to_city(
        opinion_id=accessibility.pk,
        sent_on=t.day(130),
        sent_to="Madame l'adjointe au numérique",
        actor=actor,
        now=t.at(130),
    )
    help_response = answers.record_answers(
        opinion_id=help_desk.pk,
        received_on=t.day(100),
        reference="Courrier de l'adjointe au numérique (exemple)",
        lines=[
            answers.AnswerLine(
                "partly",
                number=1,
                reasons="Le samedi matin oui ; pas de soirée faute d'agents.",
                service="Mairies de quartier",
                due_on=t.day(-30),
            ),
            answers.AnswerLine(
                "accepted",
                number=2,
                service="Mairies de quartier",
                commitment="Une demi-journée sans rendez-vous chaque semaine dans chaque guichet.",
                due_on=t.day(-90),
            ),
            answers.AnswerLine("rejected", number=3, reasons="Budget non prévu cette année."),
            answers.AnswerLine(
                "deferred", number=4, reasons="À étudier avec le centre social après l'été."
            ),
        ],
        actor=actor,
        now=t.at(99),
    )
    _members_told(help_response, t.at(99, hour=16), actor)
    for answer in help_response.answers.filter(status__in=["accepted", "partly"]):
        commitment = answer.commitments.get()
        commitments.record_progress(
            commitment_id=commitment.pk,
            on=t.day(45),
            progress=50,
            text="Mis en place dans deux mairies de quartier sur cinq (exemple).",
            links=[("Horaires des guichets (exemple)", "https://www.ville-roubaix.fr/horaires")],
            actor=actor,
            now=t.at(44),
        )
    # Proposals: one waiting for a meeting, one withdrawn.
    # Members in office on the day they propose (one may have left since the first meetings).
    proposer = list(members_in_office(call, t.day(20)))[4]
    opinions.propose(
        call_id=call.pk,
        title="Des ateliers numériques le samedi dans les médiathèques",
        text=f"Apprendre à faire ses démarches en ligne, en petit groupe, près de chez soi. {FICTIONAL}",
        summary="Des cours le samedi pour apprendre à faire ses démarches sur internet.",
        member_id=proposer.pk,
        source=Source.PAPER,
        actor=actor,
        now=t.at(20),
    )
    withdrawn, _ = opinions.propose(
        call_id=call.pk,
        title="Un numéro de téléphone unique pour l'aide numérique",
        text=f"Un seul numéro pour être aidé par téléphone. {FICTIONAL}",
        summary="Un numéro pour appeler quand on est bloqué sur internet.",
        member_id=list(members_in_office(call, t.day(90)))[7].pk,
        source=Source.ONLINE,
        now=t.at(90),
    )
    withdrawn.withdraw(
        reason="La Ville a ouvert ce numéro en janvier : la proposition n'a plus d'objet.",
        actor=actor,
        now=t.at(60),
    )
