import pytest

pytestmark = pytest.mark.django_db


def test_receipt_shows_code_date_and_mairie(as_user, agent_nord, paper_app, today):
    app = paper_app("mdq-nord", agent=agent_nord)
    response = as_user(agent_nord).get(f"/gestion/saisie/recepisse/{app.pk}/")
    assert response.status_code == 200
    assert f'<p class="code">{app.receipt_code}</p>' in response.text
    assert f"{today:%d/%m/%Y}" in response.text and "Mairie des quartiers Nord" in response.text
    assert "@page { size: A5" in (response.text + _css())


@pytest.mark.parametrize(
    "who, status", [("agent_sud", 403), ("observer", 403), ("coordinator", 200)]
)
def test_who_may_print_a_receipt(request, as_user, paper_app, who, status):
    app = paper_app("mdq-nord")
    assert (
        as_user(request.getfixturevalue(who))
        .get(f"/gestion/saisie/recepisse/{app.pk}/")
        .status_code
        == status
    )


def _css() -> str:
    from django.contrib.staticfiles import finders

    return open(finders.find("applications/receipt.css"), encoding="utf-8").read()
