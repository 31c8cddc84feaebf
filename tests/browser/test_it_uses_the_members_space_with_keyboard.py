"""The whole members' space with the keyboard only, in a real Chromium, axe-core on every page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_it_applies_with_keyboard import focused_matches, tab_to, type_into
from tests.space.helpers import space_council
from tirage.council.models import Member
from tirage.council.space.links import login_link, print_code
from tirage.meetings.models import Acknowledgement, AgendaSuggestion, Attendance, Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press_enter_and_wait(page, timeout: float = 10_000) -> None:
    with page.expect_navigation(timeout=timeout):
        page.keyboard.press("Enter")


def test_a_member_uses_the_whole_space_with_the_keyboard(page, live_server, axe):
    council, meeting = space_council()
    member, holder = council.members[0], council.members[1]
    code = print_code(member)

    # Sign in with the code printed on the convocation; a wrong code first.
    page.goto(live_server.url + "/espace-membre/")
    assert page.url.endswith("/espace-membre/connexion/?suivant=%2Fespace-membre%2F")
    assert_no_axe_violations(axe, page)
    type_into(page, "#id_receipt_code", member.application.receipt_code)
    type_into(page, "#id_code", "ZZZZZ-ZZZZZ")
    press_enter_and_wait(page)
    assert "ne correspond pas à ce numéro de récépissé" in page.locator("#refus").inner_text()
    assert_no_axe_violations(axe, page)
    page.fill("#id_code", "")
    tab_to(page, "#id_code", backwards=True)
    page.keyboard.type(code)
    press_enter_and_wait(page)
    assert page.locator("h1").inner_text() == f"Bonjour {member.application.given_name}"
    assert_no_axe_violations(axe, page)

    # The meeting: give a proxy with arrows in the radio group and the list.
    tab_to(page, f"a[href='/espace-membre/reunions/{meeting.pk}/']")
    press_enter_and_wait(page)
    assert page.locator("h1").inner_text() == meeting.title
    assert_no_axe_violations(axe, page)
    tab_to(page, "input[name=reply]")
    while not page.locator("input[value=proxy]").is_checked():
        page.keyboard.press("ArrowDown")
    tab_to(page, "#id_proxy_to")
    holder_label = f"{holder.application.given_name} {holder.application.family_name[0]}."
    while page.locator("#id_proxy_to option:checked").inner_text() != holder_label:
        page.keyboard.press("ArrowDown")
    tab_to(page, "#envoyer-reponse")
    press_enter_and_wait(page)
    assert "Votre réponse est enregistrée" in page.locator(".messages").inner_text()
    assert f"procuration</strong> à {holder_label}" in page.content()
    assert_no_axe_violations(axe, page)
    row = Attendance.objects.get(meeting=meeting, member=member)
    assert (row.reply, row.reply_proxy_to, row.reply_source) == ("proxy", holder, Source.ONLINE)

    # Suggest an agenda item; an empty title first.
    tab_to(page, "#envoyer-proposition")
    press_enter_and_wait(page)
    assert (
        "Donnez un intitulé au point proposé." in page.locator("#erreurs-proposition").inner_text()
    )
    assert_no_axe_violations(axe, page)
    type_into(page, "#id_title", "Des ateliers numériques le samedi")
    tab_to(page, "#envoyer-proposition")
    press_enter_and_wait(page)
    assert AgendaSuggestion.objects.get(meeting=meeting).source == Source.ONLINE

    # The rules, from the member's menu.
    tab_to(page, "a[href='/espace-membre/reglement/']")
    press_enter_and_wait(page)
    assert_no_axe_violations(axe, page)
    tab_to(page, "#approuver")
    press_enter_and_wait(page)
    assert "Vous avez approuvé cette version le" in page.locator("main").inner_text()
    assert_no_axe_violations(axe, page)
    assert Acknowledgement.objects.filter(member=member, source=Source.ONLINE).exists()

    # Resign: explain, confirm what cannot be undone, done.
    tab_to(page, "a[href='/espace-membre/demission/']")
    press_enter_and_wait(page)
    assert_no_axe_violations(axe, page)
    tab_to(page, "#continuer-demission")
    press_enter_and_wait(page)
    assert "Attention : ce choix est définitif" in page.locator("#irreversible").inner_text()
    assert_no_axe_violations(axe, page)
    tab_to(page, "#confirmer-demission")
    assert focused_matches(page, "#confirmer-demission")
    press_enter_and_wait(page, timeout=60_000)  # the seat's offer letter is rendered (WeasyPrint)
    assert page.locator("h1").inner_text() == "Votre démission est enregistrée"
    assert_no_axe_violations(axe, page)
    member.refresh_from_db()
    assert member.end_reason == Member.EndReason.RESIGNED


def test_a_link_works_once_with_the_keyboard(page, live_server, axe):
    council, _meeting = space_council()
    member = council.members[2]
    path = login_link(member)
    page.goto(live_server.url + path)
    assert_no_axe_violations(axe, page)
    tab_to(page, "#entrer-lien")
    press_enter_and_wait(page)
    assert page.url.endswith("/espace-membre/")
    tab_to(page, "button.button-secondary")  # sign out
    press_enter_and_wait(page)
    assert page.locator("h1").inner_text() == "Vous êtes déconnecté·e"
    assert_no_axe_violations(axe, page)
    page.goto(live_server.url + path)
    assert "Ce lien de connexion a déjà servi" in page.locator("#refus").inner_text()
    assert_no_axe_violations(axe, page)


def test_the_published_annual_report_page_is_accessible(page, live_server, axe):
    import datetime as dt

    from tirage.reports.models import AnnualReport, open_report

    council, _meeting = space_council()
    start = council.members[0].start_date
    report, _ = open_report(
        call=council.call, period_start=start, period_end=start + dt.timedelta(days=364)
    )
    report.edit(text="Une première année.")
    report.adopt()
    assert AnnualReport.objects.get().is_adopted
    page.goto(live_server.url + "/conseil/rapports-activite/")
    assert_no_axe_violations(axe, page)
    tab_to(page, f"a[href='/conseil/rapports-activite/{report.pk}/indicateurs.csv']")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.startswith("rapport-activite-")
