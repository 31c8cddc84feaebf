"""``tirage mandate_reminders``: end-of-mandate letters 60 days before the end, once; renewals within the rules."""

import datetime as dt

import pypdf
import pytest
from django.conf import settings
from django.core.management import call_command

from tests.aftermath import AFTER_DRAW
from tests.council.helpers import install_all
from tirage.calls.models import PARIS
from tirage.council.errors import CouncilError
from tirage.council.models import CouncilLetter
from tirage.council.services.renewals import mandate_reminders, renew_member
from tirage.letters.models import Kind, Letter


@pytest.fixture
def members(drawn):
    return install_all(drawn, now=AFTER_DRAW, start=dt.date(2025, 9, 1))


def test_mandate_dates(members):
    assert {(m.start_date, m.end_date) for m in members} == {
        (dt.date(2025, 9, 1), dt.date(2027, 8, 31))
    }


def test_reminders_go_60_days_before_the_end_and_only_once(members):
    assert mandate_reminders(now=dt.datetime(2027, 7, 1, 9, tzinfo=PARIS)) is None  # 61 days before
    batch = mandate_reminders(now=dt.datetime(2027, 7, 2, 9, tzinfo=PARIS))
    assert batch.letters.count() == 20
    letter = batch.letters.first()
    assert letter.kind == Kind.MANDATE_END
    assert CouncilLetter.objects.get(letter=letter).member.application == letter.application
    text = pypdf.PdfReader(settings.DOCUMENTS_DIR / letter.file_path).pages[0].extract_text()
    assert "se termine le 31 août 2027" in text and "a commencé le 1er septembre 2025" in text
    assert "Vous pouvez renouveler votre mandat (encore 1 fois possible)" in text
    assert mandate_reminders(now=dt.datetime(2027, 7, 10, 9, tzinfo=PARIS)) is None


def test_renewal_extends_once_then_is_refused(members):
    member = renew_member(members[0])
    assert member.end_date == dt.date(2029, 8, 31) and member.renewals == 1
    with pytest.raises(CouncilError, match="déjà été renouvelé 1 fois"):
        renew_member(member)
    # The renewed member gets a new reminder before the new end, saying no renewal is left.
    batch = mandate_reminders(now=dt.datetime(2029, 7, 15, tzinfo=PARIS))
    letter = batch.letters.get()
    text = pypdf.PdfReader(settings.DOCUMENTS_DIR / letter.file_path).pages[0].extract_text()
    assert "ne permet pas un nouveau renouvellement" in text


def test_command_prints_the_batch(members, capsys, settings):
    from tirage.council.models import Member

    Member.objects.update(end_date=dt.date.today() + dt.timedelta(days=30))
    call_command("mandate_reminders", "--days", "45")
    out = capsys.readouterr().out
    assert "20 lettre(s)" in out and Letter.objects.filter(kind=Kind.MANDATE_END).count() == 20


def test_installation_date_sets_the_mandates(client, drawn, coordinator):
    from tirage.audit.models import AuditEntry
    from tirage.council.models import Member

    install_all(drawn, now=AFTER_DRAW, start=dt.date(2025, 6, 20))
    client.force_login(coordinator)
    bad = client.post("/gestion/conseil/installation/", {"day": "31/02/2025"}, follow=True)
    assert "Date invalide : JJ/MM/AAAA." in bad.content.decode()
    assert set(Member.objects.values_list("start_date", flat=True)) == {dt.date(2025, 6, 20)}
    response = client.post("/gestion/conseil/installation/", {"day": "15/09/2025"}, follow=True)
    assert "20 mandat(s) mis à jour" in response.content.decode()
    assert set(Member.objects.values_list("start_date", "end_date")) == {
        (dt.date(2025, 9, 15), dt.date(2027, 9, 14))
    }
    assert AuditEntry.objects.filter(action="council.installed", actor=coordinator).count() == 1


def test_ended_mandates_are_closed_without_replacement(members, capsys):
    from tirage.council.models import Member, Offer

    renew_member(members[0])
    call_command(
        "mandate_reminders"
    )  # today (2026) is before the end (31 Aug 2027): nothing closes
    assert not Member.objects.filter(ended_on__isnull=False).exists()
    from tirage.council.services.mandates import close_ended_mandates

    closed = close_ended_mandates(now=dt.datetime(2027, 9, 1, 8, tzinfo=PARIS))
    assert len(closed) == 19  # the renewed member stays
    ended = Member.objects.exclude(pk=members[0].pk)
    assert set(ended.values_list("ended_on", "end_reason")) == {
        (dt.date(2027, 8, 31), "mandate_ended")
    }
    assert not Offer.objects.filter(replaces__isnull=False).exists()
