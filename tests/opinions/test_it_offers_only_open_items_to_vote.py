"""The staff vote form offers only the decision items still open for this text, and refuses a taken one by name."""

import pytest

from tests.meetings.helpers import at, hold, plenary
from tests.opinions.helpers import during, portal_opinion
from tirage.audit.models import AuditEntry
from tirage.meetings.models import AgendaItem, Decision
from tirage.meetings.voting import Votes
from tirage.opinions.models import Opinion
from tirage.opinions.services.opinions import adopt, new_version


@pytest.fixture
def two_texts(council, coordinator, client):
    """Two drafts and a held plenary with two decision items; the first item already adopted the first text."""
    first = portal_opinion(council)
    second = portal_opinion(council, title="Wifi dans les médiathèques")
    meeting = plenary(
        council,
        at(2025, 11, 3),
        items=(
            ("Vote de l'avis sur le portail", AgendaItem.Kind.DECISION),
            ("Vote de l'avis sur le wifi", AgendaItem.Kind.DECISION),
            ("Point d'information", AgendaItem.Kind.INFORMATION),
        ),
    )
    hold(meeting, everyone=council.members, absent=council.members[18:])
    portal_item, wifi_item, _ = meeting.agenda_items.order_by("order")
    adopt(
        opinion_id=first.pk,
        meeting_id=meeting.pk,
        agenda_item_id=portal_item.pk,
        method="consensus",
        now=during(meeting),
    )
    client.force_login(coordinator)
    return second, portal_item, wifi_item


def test_the_form_offers_only_the_items_still_open(client, two_texts):
    second, portal_item, wifi_item = two_texts
    response = client.get(f"/gestion/avis/{second.pk}/vote/")
    assert response.status_code == 200
    offered = [pk for pk, _ in response.context["form"].fields["item"].widget.choices if pk]
    assert offered == [wifi_item.pk]
    html = response.content.decode()
    assert "Vote de l&#x27;avis sur le wifi" in html
    assert "Vote de l&#x27;avis sur le portail" not in html  # neither in the select nor the sheets
    assert response.context["items"] == [
        (wifi_item.pk, "Séance du 03/11/2025 — Vote de l'avis sur le wifi")
    ]


def test_a_vote_posted_on_a_decided_item_is_refused_naming_it(client, two_texts):
    second, portal_item, _ = two_texts
    response = client.post(
        f"/gestion/avis/{second.pk}/vote/",
        {"item": portal_item.pk, "method": "consensus", "note": "", "casting_vote": ""},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["item"] == [
        "Le point « Vote de l'avis sur le portail » de la séance du 3 novembre 2025 a déjà été "
        "décidé pour un autre texte (Adoption de l'avis « Portail des démarches en ligne » (version 1)) : "
        "choisissez un point encore ouvert, ou inscrivez-en un nouveau à l'ordre du jour."
    ]
    assert Decision.objects.count() == 1
    second.refresh_from_db()
    assert second.state == Opinion.State.DRAFT
    assert not AuditEntry.objects.filter(
        action="opinion.adopted", object_id=str(second.pk)
    ).exists()


def test_the_open_item_still_decides(client, two_texts):
    second, _, wifi_item = two_texts
    response = client.post(
        f"/gestion/avis/{second.pk}/vote/",
        {"item": wifi_item.pk, "method": "consensus", "note": "", "casting_vote": ""},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.state == Opinion.State.ADOPTED and second.label == "Avis n° 2"


def test_a_rejected_text_may_be_voted_again_on_its_own_item(council, two_texts):
    """An item decided for this very text stays open to it (a new version voted again)."""
    second, _, wifi_item = two_texts
    meeting = wifi_item.meeting
    adopt_at_item = dict(
        opinion_id=second.pk,
        meeting_id=meeting.pk,
        agenda_item_id=wifi_item.pk,
        now=during(meeting),
    )
    rejected = adopt(**adopt_at_item, method="vote", votes=Votes(18, 2, 15, 1))
    assert not rejected.adopted
    new_version(opinion_id=second.pk, now=during(meeting))
    adopted = adopt(**adopt_at_item, method="consensus")
    assert adopted.adopted and adopted.agenda_item_id == wifi_item.pk
