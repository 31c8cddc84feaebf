"""The paper letter telling each member that the City answered, laid out by ``tirage.letters``.

One letter per undelivered *letter* notice of a response (``AnswerNotice``),
in the window-envelope layout of every council letter
(``letters.rendering``), merged into one PDF for the print room. The
notices are marked delivered once the PDF exists: printing again gives only
the notices of members added since (none after a double click).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tirage.applications.models import Application
from tirage.letters import rendering
from tirage.letters.services import postal_lines, settings_for
from tirage.opinions.models import AnswerNotice, CityResponse
from tirage.opinions.services.answers import (
    AnswerNoticeData,
    answer_notices,
    mark_notices_delivered,
)
from tirage.site.dates import french_date


def _paragraphs(data: AnswerNoticeData, given_name: str) -> list[list[str]]:
    paragraphs = [
        [f"Bonjour {given_name},"],
        [
            f"La Ville de {data.city_name} a répondu à « {data.opinion_label} — "
            f"{data.opinion_title} », transmis le {french_date(data.sent_on)}. Son courrier est "
            f"arrivé le {french_date(data.received_on)}. {data.clock}"
        ],
    ]
    for line in data.lines:
        text = f"Recommandation {line.number} : {line.status}"
        if line.service:
            text += f" (service en charge : {line.service})"
        paragraphs.append([text + "." + (f" {line.reasons}" if line.reasons else "")])
    paragraphs.append(
        [
            "La réponse complète et la suite donnée sont publiées sur la page de l'avis. Le "
            "conseil donnera son appréciation de cette réponse lors d'une prochaine séance."
        ]
    )
    return paragraphs


def notice_letters_pdf(*, response_id: int, actor=None) -> tuple[bytes, int]:
    """The PDF of the undelivered letter notices of ``response_id`` and how many letters it holds (0: no PDF).

    Marks them delivered (audited ``answer.notices_delivered``) in the same
    transaction, under a row lock, so two clicks print each letter once.
    """
    response = CityResponse.objects.select_related("opinion__call").get(pk=response_id)
    call = response.opinion.call
    conf = settings_for(call)
    today = timezone.localdate()
    with transaction.atomic():
        # Lock: two staff printing the same notices at once must get each letter once.
        wanted = set(
            AnswerNotice.objects.select_for_update()
            .filter(
                response=response,
                channel=AnswerNotice.Channel.LETTER,
                delivered_at__isnull=True,
            )
            .values_list("pk", flat=True)
        )
        notices = [n for n in answer_notices(response_id=response_id) if n.notice_id in wanted]
        if not notices:
            return b"", 0
        apps = Application.objects.in_bulk([n.application_id for n in notices])
        documents = []
        for data in notices:
            app = apps[data.application_id]
            content = rendering.LetterContent(
                anchor=f"reponse-{response_id}-{data.notice_id}",
                receipt_code=app.receipt_code,
                recipient_lines=postal_lines(app),
                subject=f"{data.opinion_label} : la Ville a répondu",
                paragraphs=_paragraphs(data, app.given_name),
                place_date=f"{call.city_name}, le {french_date(today)}",
                sender_name=conf.sender_name,
                sender_service=conf.sender_service,
                sender_lines=conf.sender_lines,
                signatory_name=conf.signatory_name,
                signatory_title=conf.signatory_title,
                footer=conf.footer,
                council=call.council_name,
            )
            documents.append(rendering.render_letter(content))
        merged, _ = rendering.merge(documents)
        pdf = rendering.to_pdf(merged)
        mark_notices_delivered(notice_ids=[n.notice_id for n in notices], actor=actor)
    return pdf, len(notices)
