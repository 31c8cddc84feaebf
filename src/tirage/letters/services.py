"""Produce letters: fill the current template, render, store, record, e-mail a copy.

``generate_batch`` is the one entry point: it takes a list of ``LetterRequest``
(who, which kind, the caller's placeholder values, a reply slip) and returns the
saved ``Batch`` with its merged PDF (for the print room) and one PDF per person
under ``DOCUMENTS_DIR/letters/<batch>/``. People who gave an e-mail address also
get the PDF by e-mail.

This app is a leaf: it renders and sends documents given data. The apps that
write letters (``council``: seats and mandates) build the requests and call it
after their transaction commits, never under a row lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tirage.applications.models import Application
from tirage.audit.services import log_action
from tirage.calls.models import Call
from tirage.letters import rendering
from tirage.letters.defaults import DEFAULT_TEXTS, sample_values
from tirage.letters.models import (
    KINDS_WITH_REPLY,
    Batch,
    Letter,
    LetterSettings,
    LetterTemplate,
)
from tirage.letters.placeholders import fill
from tirage.site.dates import french_date

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReplySlip:
    """The reply slip of a letter: a single-use reply code (clear, never stored) and the
    last day to answer. Printed under the letter, and linked from the e-mail copy."""

    code: str
    deadline: dt.date


@dataclass
class LetterRequest:
    """One letter to produce for ``application`` (its name and postal address).

    ``values``: the caller's placeholder values (``date_tirage``, ``remplace``,
    ``début_mandat``…, see ``placeholders.PLACEHOLDERS``); ``reply``: the reply
    slip, which also fills ``code_reponse``, ``lien_reponse`` and ``date_limite``;
    ``extra``: data for the letter's layout beyond the text (``attendance_slip``: the
    convocation's reply slip, ``{"deadline": "…", "meeting": "…"}``).
    """

    application: Application
    kind: str
    values: dict[str, str] = field(default_factory=dict)
    reply: ReplySlip | None = None
    extra: dict = field(default_factory=dict)


def settings_for(call: Call) -> LetterSettings:
    """The letter settings of ``call`` (created with the defaults on first use)."""
    obj, _ = LetterSettings.objects.get_or_create(call=call)
    return obj


def current_template(call: Call, kind: str) -> LetterTemplate:
    """The latest version of ``kind`` for ``call`` (version 1 is created from the defaults)."""
    template = LetterTemplate.objects.filter(call=call, kind=kind).order_by("-version").first()
    if template is None:
        subject, body = DEFAULT_TEXTS[kind]
        template = LetterTemplate.objects.create(
            call=call, kind=kind, version=1, subject=subject, body=body
        )
    return template


@transaction.atomic
def save_new_version(
    template: LetterTemplate, *, subject: str, body: str, actor=None
) -> LetterTemplate:
    """Save edited texts as the next version of ``template``'s kind; validated, audited."""
    latest = (
        LetterTemplate.objects.select_for_update()
        .filter(call=template.call, kind=template.kind)
        .aggregate(v=Max("version"))["v"]
        or 0
    )
    new = LetterTemplate(
        call=template.call,
        kind=template.kind,
        version=latest + 1,
        subject=subject,
        body=body,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    new.full_clean()
    new.save()
    log_action(
        new, "letter_template.saved", actor=actor, data={"kind": new.kind, "version": new.version}
    )
    return new


def _contact(call: Call, conf: LetterSettings) -> str:
    parts = [p for p in [call.contact_email, conf.contact_phone] if p]
    return " ou ".join(parts) or conf.sender_name


def values_for(
    call: Call, conf: LetterSettings, request: LetterRequest, *, today: dt.date
) -> dict[str, str]:
    """The placeholder values of one letter: the person's, the call's, the sender's, the
    reply slip's, then the caller's ``request.values``."""
    app = request.application
    years = call.mandate_months / 12
    duration = (
        f"{int(years)} ans" if years == int(years) and years >= 2 else f"{call.mandate_months} mois"
    )
    values = {
        "prénom": app.given_name,
        "nom": app.family_name,
        "code": app.receipt_code,
        "conseil": call.council_name,
        "ville": call.city_name,
        "adresse_reponse": conf.reply_url,
        "durée_mandat": duration,
        "signataire": f"{conf.signatory_name}, {conf.signatory_title}",
        "contact": _contact(call, conf),
    }
    if request.reply is not None:
        values["date_limite"] = french_date(request.reply.deadline)
        values["code_reponse"] = request.reply.code
        values["lien_reponse"] = f"{conf.reply_url}/{request.reply.code}/"
    values.update(request.values)
    return values


def content_for(
    template: LetterTemplate,
    conf: LetterSettings,
    request: LetterRequest,
    *,
    today: dt.date,
    anchor: str,
) -> rendering.LetterContent:
    """Fill ``template`` for ``request``: the printable content of one letter."""
    call = template.call
    values = values_for(call, conf, request, today=today)
    app = request.application
    reply = None
    if request.reply is not None and template.kind in KINDS_WITH_REPLY:
        reply = {
            "code": request.reply.code,
            "deadline": values["date_limite"],
            "url": conf.reply_url,
        }
    return rendering.LetterContent(
        anchor=anchor,
        receipt_code=app.receipt_code,
        recipient_lines=postal_lines(app),
        subject=fill(template.subject, values),
        paragraphs=rendering.paragraphs_of(fill(template.body, values)),
        place_date=f"{call.city_name}, le {french_date(today)}",
        sender_name=conf.sender_name,
        sender_service=conf.sender_service,
        sender_lines=conf.sender_lines,
        signatory_name=conf.signatory_name,
        signatory_title=conf.signatory_title,
        footer=conf.footer,
        council=call.council_name,
        reply=reply,
        extra=request.extra,
    )


def postal_lines(app: Application) -> list[str]:
    """The recipient block in the French postal order (NF Z10-011): name, complement, street, postcode CITY."""
    street = " ".join(p for p in [app.street_number, app.street_name] if p)
    lines = [
        f"{app.given_name} {app.family_name.upper()}",
        app.address_complement,
        street,
        f"{app.postcode} {app.commune.upper()}",
    ]
    return [line.strip() for line in lines if line and line.strip()]


def sample_pdf(template: LetterTemplate) -> bytes:
    """A preview of ``template`` filled for a fictitious person (nothing is stored)."""
    call = template.call
    conf = settings_for(call)
    today = timezone.localdate()
    sample = Application(
        call=call,
        receipt_code="ABCD-2345",
        gender="femme",
        family_name="Lefèvre-Dupré",
        given_name="Hélène",
        birth_date=dt.date(1990, 1, 1),
        street_number="12",
        street_name="rue de l'Exemple",
        postcode=(call.postcodes or ["59100"])[0],
        commune=(call.communes or [call.city_name])[0],
    )
    request = LetterRequest(
        application=sample,
        kind=template.kind,
        values=sample_values(call, conf, today=today),
        reply=ReplySlip("K7PM3-QXR2H", today + dt.timedelta(days=conf.reply_days))
        if template.kind in KINDS_WITH_REPLY
        else None,
    )
    content = content_for(template, conf, request, today=today, anchor="apercu")
    return rendering.to_pdf(rendering.render_letter(content))


def letters_dir(batch: Batch) -> Path:
    return Path(settings.DOCUMENTS_DIR) / "letters" / str(batch.pk)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def generate_batch(
    call: Call,
    requests: list[LetterRequest],
    *,
    label: str,
    actor=None,
    now: dt.datetime | None = None,
    email: bool = True,
    on_stored: Callable[[list[Letter]], object] | None = None,
) -> Batch:
    """Render, store and record the letters of ``requests`` as one batch; e-mail the copies.

    Files: ``DOCUMENTS_DIR/letters/<batch id>/lot-<batch id>.pdf`` (merged, every
    letter on an odd page) and ``<receipt code>-<kind>.pdf`` per person. The
    layout runs first, outside any transaction; then the database rows and
    files are written together: if anything fails nothing is recorded and the
    folder is removed. ``on_stored(letters)`` (the saved ``Letter`` rows, in the
    order of ``requests``) runs in that same transaction: the caller records
    there what the letters are about. E-mail failures do not undo the batch; they
    are recorded on the letter (``email_error``). Raises ``ValueError`` for an
    empty request list.
    """
    if not requests:
        raise ValueError("no letter to produce")
    now = now or timezone.now()
    today = timezone.localdate(now)
    conf = settings_for(call)
    templates = {kind: current_template(call, kind) for kind in {r.kind for r in requests}}
    contents = [
        content_for(templates[r.kind], conf, r, today=today, anchor=f"lettre-{i + 1}")
        for i, r in enumerate(requests)
    ]
    # The long part (layout) runs before the transaction: no database lock is held meanwhile.
    rendered = rendering.render_batch(contents)
    folder = None
    try:
        with transaction.atomic():
            batch = Batch.objects.create(
                call=call,
                label=label,
                created_at=now,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                pages=rendered.pages,
            )
            folder = letters_dir(batch)
            folder.mkdir(parents=True, exist_ok=True)
            letters = _store(batch, templates, requests, rendered, now=now)
            merged_bytes = rendered.merged
            merged_path = folder / f"lot-{batch.pk}.pdf"
            merged_path.write_bytes(merged_bytes)
            batch.merged_path = str(merged_path.relative_to(settings.DOCUMENTS_DIR))
            batch.merged_sha256 = _sha256(merged_bytes)
            batch.save(update_fields=["merged_path", "merged_sha256", "pages"])
            Letter.objects.bulk_create(letters)
            if on_stored is not None:
                on_stored(letters)
            kinds = Counter(r.kind for r in requests)
            log_action(
                batch,
                "letters.batch_created",
                actor=actor,
                data={
                    "letters": len(letters),
                    "kinds": dict(kinds),
                    "pages": batch.pages,
                    "merged_sha256": batch.merged_sha256,
                },
            )
            for letter in letters:
                log_action(
                    letter.application,
                    "letter.sent",
                    actor=actor,
                    data={
                        "kind": letter.kind,
                        "batch": batch.pk,
                        "template_version": letter.template.version,
                        "sha256": letter.sha256,
                    },
                )
    except BaseException:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    if email:
        replies = {r.application.receipt_code: r.reply for r in requests if r.reply}
        send_email_copies(batch, replies=replies)
    return batch


def _store(batch, templates, requests, rendered, *, now) -> list[Letter]:
    """Write one PDF per person; the unsaved ``Letter`` rows."""
    folder = letters_dir(batch)
    letters: list[Letter] = []
    for request, (data, pages), first in zip(
        requests, rendered.letters, rendered.firsts, strict=True
    ):
        path = folder / f"{request.application.receipt_code}-{request.kind}.pdf"
        path.write_bytes(data)
        letters.append(
            Letter(
                batch=batch,
                application=request.application,
                receipt_code=request.application.receipt_code,
                kind=request.kind,
                template=templates[request.kind],
                rendered_at=now,
                file_path=str(path.relative_to(settings.DOCUMENTS_DIR)),
                sha256=_sha256(data),
                pages=pages,
                first_page=first,
            )
        )
    return letters


EMAIL_BODY = """Bonjour,

Vous trouverez ci-joint la copie du courrier que la {sender} vous envoie par la poste au sujet du {council}.

{reply}Ce message est envoyé automatiquement. Pour toute question : {contact}.
"""


def send_email_copies(batch: Batch, *, replies: dict[str, ReplySlip] | None = None) -> int:
    """E-mail each letter of ``batch`` (PDF attached) to people who gave an address; returns the count sent.

    ``replies`` (receipt code → reply slip, whose clear code is known only while
    the batch is produced) adds the direct reply link and the deadline.
    """
    replies = replies or {}
    conf = settings_for(batch.call)
    sent = 0
    for letter in batch.letters.select_related("application").filter(emailed_at__isnull=True):
        address = letter.application.email
        if not address:
            continue
        reply = ""
        if letter.kind in KINDS_WITH_REPLY:
            slip = replies.get(letter.receipt_code)
            reply = (
                f"Vous pouvez répondre en ligne avant le {french_date(slip.deadline)} : "
                f"{conf.reply_url}/{slip.code}/\n(lien personnel, utilisable une seule fois)\n\n"
                if slip is not None
                else f"Vous pouvez répondre en ligne sur {conf.reply_url} avec le code de réponse imprimé "
                "sur le courrier.\n\n"
            )
        message = EmailMessage(
            subject=f"{batch.call.council_name} : {letter.get_kind_display()}",
            body=EMAIL_BODY.format(
                sender=conf.sender_name,
                council=batch.call.council_name,
                reply=reply,
                contact=_contact(batch.call, conf),
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
        )
        path = Path(settings.DOCUMENTS_DIR) / letter.file_path
        message.attach(f"courrier-{letter.receipt_code}.pdf", path.read_bytes(), "application/pdf")
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 - any mail failure is recorded, the letter went by post
            logger.warning("e-mail copy of letter %s failed: %s", letter.pk, exc)
            Letter.objects.filter(pk=letter.pk).update(email_error=str(exc)[:300])
            continue
        Letter.objects.filter(pk=letter.pk).update(emailed_at=timezone.now(), email_error="")
        sent += 1
    return sent
