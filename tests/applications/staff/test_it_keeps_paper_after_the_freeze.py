"""Paper forms at the counter after the freeze, without consent, for another mairie,
or with an impossible reception date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.applications.staff.test_it_enters_at_counter import URL, form_data
from tests.factories import applicant, roubaix_call
from tirage.applications.models import Application, Channel, Status
from tirage.applications.services import ReceptionDateError, submit_application
from tirage.calls.models import Office
from tirage.draws.pool import freeze_pool

pytestmark = pytest.mark.django_db


def test_a_form_typed_after_the_freeze_is_late_and_its_receipt_says_so(as_user, agent_nord, today):
    call = roubaix_call(open_on=today - dt.timedelta(days=40))
    nord = Office.objects.get(code="mdq-nord")
    for number in range(3):
        submit_application(
            call,
            applicant(given_name=f"Avant{number}"),
            channel=Channel.PAPER,
            office=nord,
            received_on=call.closing_date,
        )
    pool = freeze_pool(call)
    client = as_user(agent_nord)
    assert "Le vivier est gelé." in client.get(URL).text
    # Received on time, but typed after the freeze: not silently in the pool.
    response = client.post(URL, form_data(received_on=f"{call.closing_date:%d/%m/%Y}"))
    assert response.status_code == 302
    late = Application.objects.get(given_name="Élodie")
    assert late.status == Status.LATE
    assert late.status_reason.startswith(f"Formulaire saisi le {today:%d/%m/%Y}, après le gel")
    assert pool.members.filter(application=late).count() == 0 and pool.size == 3
    receipt = client.get(f"/gestion/saisie/recepisse/{late.pk}/").text
    assert "ne participe pas au tirage au sort" in receipt


def test_paper_needs_both_consent_boxes(as_user, agent_nord):
    client = as_user(agent_nord)
    response = client.post(URL, form_data(consent_notice="", attests_residence=""))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["consent_notice"][0].startswith(
        "La case « j'ai lu la notice d'information » n'est pas cochée sur le formulaire"
    )
    assert errors["attests_residence"][0].startswith("La case « j'habite la commune »")
    assert not Application.objects.exists()


def test_an_agent_types_only_for_their_own_mairie(as_user, agent_nord):
    client = as_user(agent_nord)
    sud = Office.objects.get(code="mdq-sud")
    response = client.post(URL, form_data(office=str(sud.pk)))
    assert response.status_code == 400
    assert response.context["form"].errors["office"] == [
        "Vous saisissez les formulaires de la Mairie des quartiers Nord seulement : "
        "un formulaire déposé ailleurs est saisi par cette mairie-là."
    ]
    page = client.get(URL).text
    assert "Mairie des quartiers Sud</option>" not in page
    assert not Application.objects.exists()


def test_reception_dates_are_bounded_on_every_channel(as_user, agent_nord, call, today):
    client = as_user(agent_nord)
    opened = timezone.localtime(call.opens_at).date()
    response = client.post(URL, form_data(received_on="02/01/1901"))
    assert response.context["form"].errors["received_on"] == [
        f"Date de réception impossible : l'appel a ouvert le {opened:%d/%m/%Y}."
    ]
    with pytest.raises(ReceptionDateError, match="dans le futur"):
        submit_application(
            call, applicant(), channel=Channel.IMPORT, received_on=today + dt.timedelta(days=2)
        )
    with pytest.raises(ReceptionDateError, match="l'appel a ouvert le"):
        submit_application(
            call, applicant(), channel=Channel.IMPORT, received_on=dt.date(1901, 1, 2)
        )
    assert not Application.objects.exists()


def test_an_ineligible_applicant_s_receipt_does_not_promise_the_draw(as_user, agent_nord):
    client = as_user(agent_nord)
    young = (dt.date.today() - dt.timedelta(days=365 * 10)).strftime("%d/%m/%Y")
    assert client.post(URL, form_data(birth_date=young)).status_code == 302
    application = Application.objects.get()
    assert application.status == Status.INELIGIBLE
    receipt = client.get(f"/gestion/saisie/recepisse/{application.pk}/").text
    assert "ne participe pas au tirage au sort" in receipt
    assert "sera affiché lors du tirage au sort public" not in receipt
