"""Admin edits of an application go through change_status and are audited."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.factories import applicant, roubaix_call
from tirage.applications.models import AreaSource, Status
from tirage.applications.services import submit_application
from tirage.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def form_data(app, **changes):
    data = {
        "status": app.status, "status_reason": app.status_reason, "gender": app.gender,
        "family_name": app.family_name, "given_name": app.given_name,
        "birth_date": app.birth_date.strftime("%d/%m/%Y"), "street_number": app.street_number,
        "street_name": app.street_name, "address_complement": app.address_complement,
        "postcode": app.postcode, "commune": app.commune, "street_id": app.street_id,
        "quartier": app.quartier, "secteur": app.secteur, "area_source": app.area_source,
        "review_note": app.review_note, "email": app.email, "phone": app.phone,
        "motivation": app.motivation, "consent_notice": "on", "attests_residence": "on",
        "office": "", "received_on": "",
    }  # fmt: skip
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False}


def test_status_and_secteur_changes_are_audited_with_the_admin_user(client):
    call = roubaix_call()
    app = submit_application(
        call, applicant(), now=dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    ).application
    admin_user = User.objects.create_superuser("chef", password="x")
    client.force_login(admin_user)
    url = reverse("admin:applications_application_change", args=[app.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "application.created" in page.content.decode()  # the history is shown

    response = client.post(
        url,
        form_data(app, status=Status.WITHDRAWN, status_reason="Retrait par courrier",
                  secteur="nord", given_name="Amélia"),
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    app.refresh_from_db()
    assert (app.status, app.status_reason) == (Status.WITHDRAWN, "Retrait par courrier")
    assert app.secteur == "nord" and app.area_source == AreaSource.STAFF
    assert app.identity_key == "dupont|amelia|1980-03-14"
    changed = AuditEntry.objects.get(action="application.status_changed", data__to=Status.WITHDRAWN)
    assert changed.actor == admin_user and changed.reason == "Retrait par courrier"
    edited = AuditEntry.objects.get(action="application.edited")
    assert edited.actor == admin_user
    assert set(edited.data["fields"]) == {"given_name", "secteur", "area_source"}
    assert edited.data["values"]["secteur"] == {"from": "sud", "to": "nord"}
    assert "given_name" not in edited.data["values"]  # no personal data in the journal


def test_applications_cannot_be_added_or_deleted_in_the_admin(client):
    client.force_login(User.objects.create_superuser("chef", password="x"))
    assert client.get(reverse("admin:applications_application_add")).status_code == 403
    assert (
        client.get(
            reverse("admin:applications_application_changelist"), {"q": "dupont"}
        ).status_code
        == 200
    )
