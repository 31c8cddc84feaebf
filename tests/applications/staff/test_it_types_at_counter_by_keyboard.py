"""The counter screen in a real Chromium, typed with the keyboard only."""

import pytest

from tirage.applications.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_types_a_paper_form_with_tab_and_enter(live_server, page, agent_nord):
    page.goto(f"{live_server.url}/gestion/connexion/?next=/gestion/saisie/")
    # Autofocus on the username; under load it can land after the load event.
    page.wait_for_function("document.activeElement && document.activeElement.name === 'username'")
    page.keyboard.type("agent.nord")
    page.keyboard.press("Tab")
    page.keyboard.type("motdepasse-solide-42")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith("/gestion/saisie/"))
    page.wait_for_selector("#id_family_name")
    assert page.evaluate("document.activeElement.name") == "family_name"
    for text in ["Martin", "Élodie", "f", "14031980", "3", "rue de l'epeule"]:
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    # The two consent boxes ticked on the paper form: required on paper as online.
    for box in ("#id_consent_notice", "#id_attests_residence"):
        page.focus(box)
        page.keyboard.press("Space")
    page.focus("#id_street_name")
    page.keyboard.press("Enter")  # submits: the mairie and today's date are prefilled
    page.wait_for_selector(".big-code")
    page.wait_for_load_state("load")
    app = Application.objects.get()
    assert page.inner_text(".big-code") == app.receipt_code
    assert (app.family_name, app.given_name, app.gender, app.secteur) == (
        "Martin",
        "Élodie",
        "femme",
        "ouest",
    )
    assert app.office.code == "mdq-nord"
    assert page.evaluate("document.activeElement.name") == "family_name"  # ready for the next one
    assert page.input_value("#id_family_name") == ""
