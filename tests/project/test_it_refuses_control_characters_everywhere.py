"""Issue 12, item 3, on every way in: the council's staff and members' forms refuse an
invisible control character as the applicant's forms do, naming the field, while a text
area keeps its line breaks."""

from __future__ import annotations

from tirage.meetings.forms import AgendaItemForm, MinutesForm
from tirage.opinions.forms import ConsultationForm


def test_a_one_line_field_refuses_a_control_character_and_names_the_field():
    form = AgendaItemForm(data={"title": "Le wifi\x07 public", "kind": "debate"})
    assert not form.is_valid()
    assert form.errors["title"] == [
        "Le champ « Intitulé » contient un caractère invisible non autorisé (U+0007) : "
        "effacez-le et tapez ce texte à nouveau."
    ]


def test_a_text_area_keeps_line_breaks_but_refuses_a_bidi_override():
    good = MinutesForm(data={"text": "Ouverture à 18 h.\r\nPoint 1 : le portail.", "summary": ""})
    assert good.is_valid(), good.errors
    bad = ConsultationForm(
        data={
            "title": "Portail famille",
            "service": "Direction du numérique",
            "stage": "idea",
            "context": "Le contexte\u202e inversé",
            "summary": "En bref.",
            "deadline": "2027-01-31",
            "questions": "Une question ?\nUne autre ?",
        }
    )
    assert not bad.is_valid()
    assert "(U+202E)" in bad.errors["context"][0]
    assert "questions" not in bad.errors
