"""The public pages of opinions and consultations, over the demo: the path, the clock, no personal data, the PDF."""

import datetime as dt
import html as htmllib
import io
import re

import pytest
from pypdf import PdfReader

from tests.meetings.helpers import installed_council
from tests.pdftext import text_runs
from tirage.demo.opinions import ACCESSIBILITY, HELP_DESK, PORTAL, seed_opinions
from tirage.meetings.models import Rules
from tirage.opinions import pages
from tirage.opinions.models import Consultation, Opinion
from tirage.site.dates import french_date

TODAY = dt.date(2026, 12, 6)


@pytest.fixture
def demo(db, monkeypatch):
    council = installed_council()
    seed_opinions(call=council.call, today=TODAY)
    monkeypatch.setattr(pages, "public_today", lambda: TODAY)
    return council


def page_text(response) -> str:
    html = response.content.decode()
    html = htmllib.unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\s+", " ", html)


def test_the_path_of_a_demo_opinion_shows_each_step_in_order_with_dates(client, demo):
    portal = Opinion.objects.get(title=PORTAL)
    response = client.get(f"/avis/{portal.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    path = html[html.index('<ol class="path">') :]
    steps = re.findall(r'<li class="step-(\w+)">\s*<time datetime="([\d-]+)">([^<]+)</time>', path)
    kinds = [k for k, _, _ in steps]
    assert kinds == [
        "consultation",
        "contributions",
        "vote",
        "sent",
        "answer",
        "commitment",
        "commitment",
        "rating",
        "deadline",
        "update",
        "update",
        "update",
    ]
    days = [dt.date.fromisoformat(d) for _, d, _ in steps]
    assert days == sorted(days)
    assert days[0] == TODAY - dt.timedelta(days=330)  # the consultation opened
    assert days[2] == TODAY - dt.timedelta(days=285)  # the vote in plenary
    assert days[3] == TODAY - dt.timedelta(days=280)  # sent to the City
    assert steps[4][2] == "mardi 5 mai 2026"  # the City's answer, in French
    text = page_text(response)
    assert "Adoptée : 14 pour, 2 contre, 1 abstention (17 votants)." in text
    assert "Réponse reçue le 5 mai 2026, dans le délai." in text
    # Each recommendation with the City's answer, its commitment and the council's rating.
    assert "Recommandation 3. " in text and "refusée" in text
    assert "Appréciation du conseil : réponse pas satisfaisante" in text
    assert "Engagement de la Ville" in text and "80 %" in text


def test_the_late_answer_shows_its_delay_from_the_setting_and_follows_it(client, demo):
    late = Opinion.objects.get(title=ACCESSIBILITY)
    text = page_text(client.get(f"/avis/{late.pk}/"))
    sentence = "En retard de 40 jours : la réponse était attendue avant le 28 octobre 2026."
    assert sentence in text
    listing = page_text(client.get("/avis/"))
    assert f"{late.label} — {ACCESSIBILITY} : {sentence}" in listing

    assert listing.count("50 % — ") == 2  # the help desk's commitments, half done
    assert "Réalisé le " in listing

    Rules.for_call(demo.call).update(answer_deadline_days=60)
    text = page_text(client.get(f"/avis/{late.pk}/"))
    assert "En retard de 70 jours : la réponse était attendue avant le 28 septembre 2026." in text
    assert "40 jours" not in text
    assert "En retard de 70 jours" in page_text(client.get("/avis/"))


def test_an_unanswered_opinion_within_its_delay_says_when_the_answer_is_expected(client, demo):
    late = Opinion.objects.get(title=ACCESSIBILITY)
    Rules.for_call(demo.call).update(answer_deadline_days=200)
    text = page_text(client.get(f"/avis/{late.pk}/"))
    expected = french_date(late.sent_on + dt.timedelta(days=201))
    assert f"Réponse attendue avant le {expected}." in text


def test_the_text_has_its_easy_to_read_summary_beside_it_and_the_minority_view(client, demo):
    help_desk = Opinion.objects.get(title=HELP_DESK)
    version = help_desk.sent_version
    html = client.get(f"/avis/{help_desk.pk}/").content.decode()
    grid = html[html.index('<div class="side-by-side">') :]
    assert grid.index("Texte intégral") < grid.index('<aside class="falc"')
    assert version.summary.split("\n")[0][:40] in grid
    if version.minority_view:
        assert "Opinion minoritaire" in html


def test_public_pages_show_no_personal_data(client, demo):
    names = {demo.named(m) for m in demo.members}
    emails = {m.application.email for m in demo.members if m.application.email}
    urls = ["/avis/", "/consultations/"]
    urls += [f"/avis/{o.pk}/" for o in Opinion.objects.exclude(state="draft")]
    urls += [f"/consultations/{c.pk}/" for c in Consultation.objects.all()]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert not [n for n in names if n in text], url
        assert not [e for e in emails if e in text], url


def test_a_draft_is_not_public(client, demo):
    draft = Opinion.objects.filter(state="draft").first()
    assert client.get(f"/avis/{draft.pk}/").status_code == 404
    assert client.get(f"/avis/{draft.pk}.pdf").status_code == 404


def test_the_consultation_page_is_the_project_sheet(client, demo):
    consultation = Consultation.objects.get(title=PORTAL)
    text = page_text(client.get(f"/consultations/{consultation.pk}/"))
    assert consultation.service in text
    assert "étape actuelle" in text
    for question in consultation.questions.all():
        assert question.text in text
    assert "9 contributions de 8 membres" in text
    listing = page_text(client.get("/consultations/"))
    assert consultation.title in listing and "Consultations closes" in listing


def test_the_opinion_pdf_is_real_and_tagged(client, demo):
    portal = Opinion.objects.get(title=PORTAL)
    response = client.get(f"/avis/{portal.pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root and root["/Lang"] == "fr"
    assert reader.metadata.title == f"{portal.label} — {PORTAL}"
    text = " ".join(run for page in reader.pages for _, _, run in text_runs(page))
    text = re.sub(r"\s+", " ", text)
    assert f"{portal.label} : {PORTAL}" in text
    assert "En bref, facile à lire" in text
    assert "Adoptée : 14 pour, 2 contre, 1 abstention (17 votants)." in text
    assert "Réponse reçue le 5 mai 2026, dans le délai." in text
