import pytest

from tirage.applications.models import Application, Status
from tirage.audit.models import AuditEntry
from tirage.audit.services import history

pytestmark = pytest.mark.django_db


def decide(client, app, **data):
    return client.post(f"/gestion/candidatures/{app.pk}/decision/", data)


def test_decision_needs_a_reason(as_user, coordinator, online_app):
    app = online_app()
    before = AuditEntry.objects.count()
    response = decide(as_user(coordinator), app, decision="ineligible", reason="  ")
    assert response.status_code == 400
    assert "Indiquez le motif de la décision." in response.text
    app.refresh_from_db()
    assert app.status == Status.ELIGIBLE and AuditEntry.objects.count() == before


def test_decision_is_audited_with_reason_and_actor(as_user, coordinator, online_app):
    app = online_app()
    response = decide(
        as_user(coordinator), app, decision="ineligible", reason="Habite Tourcoing (justificatif)"
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert (
        app.status == Status.INELIGIBLE and app.status_reason == "Habite Tourcoing (justificatif)"
    )
    entry = history(app).last()
    assert entry.action == "application.status_changed"
    assert entry.reason == "Habite Tourcoing (justificatif)"
    assert entry.actor == coordinator and entry.data == {"from": "eligible", "to": "ineligible"}


def test_duplicate_of_links_the_original_and_clears_review(as_user, coordinator, online_app):
    first = online_app()
    twin = online_app(given_name="amelie")
    assert twin.needs_review and twin.status == Status.RECEIVED
    client = as_user(coordinator)
    bad = decide(
        client, twin, decision="duplicate", reason="Même personne", duplicate_of="ZZZZ-ZZZZ"
    )
    assert bad.status_code == 400 and "Aucune candidature n° ZZZZ-ZZZZ" in bad.text
    code = first.receipt_code.replace("-", "").lower()  # typed loosely
    assert (
        decide(
            client, twin, decision="duplicate", reason="Même personne", duplicate_of=code
        ).status_code
        == 302
    )
    twin.refresh_from_db()
    assert twin.status == Status.DUPLICATE and twin.duplicate_of == first and not twin.needs_review
    assert [e.action for e in history(twin)][-2:] == [
        "application.status_changed",
        "application.duplicate_link_changed",
    ]


def test_eligible_despite_twin_unlinks_it(as_user, coordinator, online_app):
    online_app()
    twin = online_app(given_name="amelie")
    decide(
        as_user(coordinator), twin, decision="eligible", reason="Homonyme : adresses différentes"
    )
    twin.refresh_from_db()
    assert twin.status == Status.ELIGIBLE and twin.duplicate_of is None and not twin.needs_review


def test_staff_sets_secteur(as_user, coordinator, online_app):
    app = online_app(
        secteur="", quartier="", area_source="", needs_review=True, review_note="Voie inconnue"
    )
    client = as_user(coordinator)
    missing = client.post(
        f"/gestion/candidatures/{app.pk}/secteur/", {"secteur": "est", "reason": ""}
    )
    assert missing.status_code == 400 and "Indiquez le motif" in missing.text
    response = client.post(
        f"/gestion/candidatures/{app.pk}/secteur/",
        {"secteur": "est", "reason": "Vérifié sur le plan"},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.secteur, app.area_source, app.needs_review) == ("est", "staff", False)
    entry = history(app).last()
    assert entry.action == "application.area_set" and entry.reason == "Vérifié sur le plan"
    assert entry.data["to"]["secteur"] == "est"


@pytest.mark.parametrize("who", ["agent_nord", "observer"])
def test_only_coordinators_decide(request, as_user, paper_app, who):
    app = paper_app("mdq-nord")
    response = decide(as_user(request.getfixturevalue(who)), app, decision="withdrawn", reason="x")
    assert response.status_code == 403
    assert Application.objects.get(pk=app.pk).status == Status.ELIGIBLE


def test_an_application_is_not_the_duplicate_of_itself(as_user, coordinator, online_app):
    app = online_app()
    response = decide(
        as_user(coordinator),
        app,
        decision="duplicate",
        reason="Même personne",
        duplicate_of=app.receipt_code,
    )
    assert response.status_code == 400
    assert "Une candidature ne peut pas être le doublon d&#x27;elle-même" in response.text
    app.refresh_from_db()
    assert app.status == Status.ELIGIBLE and app.duplicate_of is None
