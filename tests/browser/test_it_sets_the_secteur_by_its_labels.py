"""The application page holds two forms with a « Motif » field: each label names its own field."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_it_draws_with_keyboard import log_in
from tests.factories import applicant, roubaix_call
from tests.roles import make_staff
from tirage.applications.models import Application
from tirage.applications.services import submit_application
from tirage.audit.services import history
from tirage.backoffice.roles import COORDINATOR
from tirage.calls.models import PARIS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secteur_form_has_its_own_reason_field(page, live_server, axe):
    call = roubaix_call(open_on=timezone.now().astimezone(PARIS).date())
    app = submit_application(
        call, applicant(street_name="Rue des Cigales", secteur="", quartier="")
    ).application
    log_in(page, live_server, make_staff("coord", COORDINATOR))
    page.goto(f"{live_server.url}/gestion/candidatures/{app.pk}/")
    ids = page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert_no_axe_violations(axe, page)

    area = page.locator("form[action$='/secteur/']")
    area.get_by_label("Secteur").select_option("est")
    # Clicking the label « Motif » of this form focuses this form's field, not the decision's.
    area.locator("label", has_text="Motif").click()
    page.keyboard.type("vérifié par téléphone")
    assert page.locator("form[action$='/decision/'] [name=reason]").input_value() == ""
    with page.expect_navigation():
        area.get_by_role("button", name="Enregistrer le secteur").click()
    assert "Secteur enregistré." in page.locator("body").inner_text()
    app = Application.objects.get(pk=app.pk)
    assert app.secteur == "est"
    assert [e.reason for e in history(app) if e.action == "application.area_set"] == [
        "vérifié par téléphone"
    ]
