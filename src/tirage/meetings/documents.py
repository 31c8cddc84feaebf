"""The council's documents: the sign-in sheet and the minutes as PDF/UA, the convocation and absence letters.

PDFs are WeasyPrint renderings of ``meetings/pdf/*.html`` in the PDF/UA-1
variant (tagged, with a structure tree and the document's language):
``sign_in_sheet_pdf(meeting)`` (staff: members' names to sign) and
``minutes_pdf(minutes)`` (public once published: no personal data, only the
decisions and the text). Letters go through ``tirage.letters.services.generate_batch``
(a copy by e-mail to members who gave an address), after the transaction that
decided them commits.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from tirage.council.space.links import CODE_VALIDITY, print_code
from tirage.letters.models import Kind
from tirage.letters.services import LetterRequest, generate_batch, settings_for
from tirage.meetings.models import AbsenceCase, Convocation, Meeting, Minutes
from tirage.meetings.office import member_name
from tirage.meetings.quorum import quorum_for
from tirage.meetings.roster import expected_members
from tirage.meetings.services.convocations import convocation_notices
from tirage.site.dates import french_date, french_weekday_moment

PDF_VARIANT = "pdf/ua-1"


def render_pdf(template: str, context: dict) -> bytes:
    """``template`` rendered as a tagged PDF/UA-1 document (bytes)."""
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    return HTML(string=render_to_string(template, context)).write_pdf(pdf_variant=PDF_VARIANT)


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def sign_in_sheet_pdf(meeting: Meeting) -> bytes:
    """A4 sign-in sheet: meeting, quorum rule, one row per expected member (name, signature, proxy)."""
    members = [member_name(m) for m in expected_members(meeting)]
    return render_pdf(
        "meetings/pdf/sign_in_sheet.html",
        {
            "meeting": meeting,
            "call": meeting.call,
            "when": french_weekday_moment(meeting.starts_at),
            "names": members,
            "quorum": quorum_for(meeting, expected=True),
        },
    )


def minutes_pdf(minutes: Minutes) -> bytes:
    """A4 minutes: FALC summary first, then the full text and the decisions with their figures."""
    meeting = minutes.meeting
    return render_pdf(
        "meetings/pdf/minutes.html",
        {
            "minutes": minutes,
            "meeting": meeting,
            "call": meeting.call,
            "when": french_weekday_moment(meeting.starts_at),
            "items": meeting.agenda_items.order_by("order", "id"),
            "decisions": minutes.decisions,
            "quorum": quorum_for(meeting),
        },
    )


def _place(notice) -> str:
    if notice.format == Meeting.Format.REMOTE.label:
        return "à distance (le lien de connexion vous est envoyé par courriel)."
    parts = [p for p in (notice.place, notice.address) if p]
    text = ", ".join(parts) + "."
    if notice.access_info:
        text += f" Accès : {notice.access_info}"
    if notice.format == Meeting.Format.HYBRID.label:
        text += " Vous pouvez aussi participer à distance."
    return text


def send_convocations(meeting_id: int, *, actor=None) -> int:
    """Produce the convocation letters not yet delivered for ``meeting_id`` (one batch); returns how many.

    Each letter carries the agenda, place, date and the reply slip « présent·e /
    excusé·e / procuration à … »; ``Convocation.delivered_at`` is set in the batch's
    transaction. Members with an e-mail address also get it by e-mail. The slip also
    carries a new single-use code for the members' space (``council.space.links.print_code``,
    valid ``CODE_VALIDITY``), so that a member without e-mail can answer online too.
    """
    notices = convocation_notices(meeting_id=meeting_id)
    if not notices:
        return 0
    meeting = Meeting.objects.select_related("call").get(pk=meeting_id)
    space_url = settings_for(meeting.call).public_base_url.rstrip("/") + "/espace-membre/"
    space_until = french_date(timezone.localdate() + CODE_VALIDITY)
    convocations = {
        c.pk: c
        for c in Convocation.objects.filter(
            pk__in=[n.convocation_id for n in notices]
        ).select_related("member__application")
    }
    requests = []
    for notice in notices:
        agenda = "\n".join(f"{line.order}. {line.title} ({line.kind})" for line in notice.agenda)
        member = convocations[notice.convocation_id].member
        requests.append(
            LetterRequest(
                application=member.application,
                kind=Kind.CONVOCATION,
                values={
                    "réunion": notice.title,
                    "date_réunion": french_weekday_moment(notice.starts_at),
                    "lieu": _place(notice),
                    "ordre_du_jour": agenda,
                    "date_limite": french_date(notice.reply_by),
                },
                extra={
                    "attendance_slip": {
                        "deadline": french_date(notice.reply_by),
                        "meeting": f"{notice.title}, {french_weekday_moment(notice.starts_at)}",
                        "space_url": space_url,
                        "space_code": print_code(member),
                        "space_until": space_until,
                    }
                },
            )
        )
    ids = [n.convocation_id for n in notices]

    def delivered(_letters) -> None:
        Convocation.objects.filter(pk__in=ids).update(delivered_at=timezone.now())

    generate_batch(
        meeting.call,
        requests,
        label=f"Convocations — {meeting.title} ({french_date(meeting.day)})",
        actor=actor,
        on_stored=delivered,
        queue_email=True,  # the copies: letters.tasks.send_copy, retried
    )
    return len(requests)


def send_absence_letter(case_id: int, *, actor=None) -> None:
    """The letter telling a member of their unexcused absences and the reply deadline."""
    case = AbsenceCase.objects.select_related("member__application", "call").get(pk=case_id)
    days = [french_date(m.day) for m in case.meetings.order_by("starts_at")]
    assert case.reply_until is not None
    generate_batch(
        case.call,
        [
            LetterRequest(
                application=case.member.application,
                kind=Kind.ABSENCE,
                values={"absences": ", ".join(days), "date_limite": french_date(case.reply_until)},
            )
        ],
        label=f"Lettre d'absences — {case.member.application.receipt_code}",
        actor=actor,
        queue_email=True,  # the copy: letters.tasks.send_copy, retried
    )
