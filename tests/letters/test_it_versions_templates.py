"""Staff edit a letter's text in the admin: each save is a new version; unknown placeholders are refused."""

import pytest
from django.contrib.auth.models import User

from tests.aftermath import AFTER_DRAW
from tirage.audit.models import AuditEntry
from tirage.council.services.seat_letters import run_letters
from tirage.letters.models import Kind, Letter, LetterTemplate
from tirage.letters.services import current_template


@pytest.fixture
def admin_client(client, db):
    user = User.objects.create_superuser("coord", "coord@example.org", "pw-123456789")
    client.force_login(user)
    return client


def _post(client, template, subject, body):
    return client.post(
        f"/admin/letters/lettertemplate/{template.pk}/change/", {"subject": subject, "body": body}
    )


def test_editing_saves_a_new_version_and_keeps_the_old_one(admin_client, drawn):
    v1 = current_template(drawn.call, Kind.RESERVE)
    response = _post(
        admin_client,
        v1,
        "Liste complémentaire : {prénom}",
        "Bonjour {prénom} {nom},\n\nVous êtes sur la liste (n° {code}).",
    )
    assert response.status_code == 302
    versions = list(
        LetterTemplate.objects.filter(call=drawn.call, kind=Kind.RESERVE).order_by("version")
    )
    assert [t.version for t in versions] == [1, 2]
    v1.refresh_from_db()
    assert v1.subject.startswith("Vous êtes sur la liste complémentaire")
    assert versions[1].subject == "Liste complémentaire : {prénom}"
    assert versions[1].created_by.username == "coord"
    assert AuditEntry.objects.filter(
        action="letter_template.saved", object_id=str(versions[1].pk)
    ).exists()
    # Letters produced afterwards use version 2 and say so.
    run_letters(drawn.call, now=AFTER_DRAW)
    letter = Letter.objects.filter(kind=Kind.RESERVE).first()
    assert letter.template == versions[1]


def test_unknown_placeholder_is_refused_with_a_clear_message(admin_client, drawn):
    v1 = current_template(drawn.call, Kind.NOT_SELECTED)
    response = _post(
        admin_client, v1, "Résultat", "Bonjour {prenom} {nom}, votre date : {date_limte}."
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Champ inconnu : {prenom}, {date_limte}" in errors["body"][0]
    assert "{prénom}" in errors["body"][0]  # the message lists the right names
    assert LetterTemplate.objects.filter(call=drawn.call, kind=Kind.NOT_SELECTED).count() == 1


def test_version_rows_are_never_updated(drawn):
    v1 = current_template(drawn.call, Kind.SELECTED)
    v1.subject = "changé"
    with pytest.raises(ValueError):
        v1.save()


def test_doubled_braces_are_refused_and_a_decomposed_accent_is_the_same_name(admin_client, drawn):
    from tirage.letters.placeholders import fill, unknown_placeholders

    v1 = current_template(drawn.call, Kind.NOT_SELECTED)
    # {{prénom}} would print « Bonjour {Hélène} » on every letter.
    response = _post(admin_client, v1, "Résultat", "Bonjour {{prénom}} {nom},")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Accolades doublées : {{prénom}} (écrivez {prénom})" in errors["body"][0]
    assert LetterTemplate.objects.filter(call=drawn.call, kind=Kind.NOT_SELECTED).count() == 1
    decomposed = "{pre\u0301nom}"  # « é » as e + combining acute accent
    assert unknown_placeholders(decomposed) == []
    assert fill(f"Bonjour {decomposed}", {"prénom": "Hélène"}) == "Bonjour Hélène"
