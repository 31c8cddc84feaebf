import datetime as dt

import pytest

from tests.factories import applicant, roubaix_call
from tirage.applications.services import submit_application

SECTEURS = ["nord", "sud", "est", "ouest", "centre"]
AFTER_DEADLINE = dt.datetime(2025, 6, 7, 9, tzinfo=dt.UTC)


def fill_pool(call, per_secteur: int = 6):
    """``per_secteur`` eligible applicants in each secteur, alternately women and men."""
    when = dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC)
    apps = []
    for s, secteur in enumerate(SECTEURS):
        for i in range(per_secteur):
            data = applicant(
                family_name=f"Nom{s}{i}",
                given_name=f"Prénom{s}{i}",
                gender="femme" if i % 2 == 0 else "homme",
                secteur=secteur,
                birth_date=dt.date(1960 + s, 1 + i % 12, 1 + i // 12),
                street_name=f"Rue Imaginaire {s}{i}",
                email=f"personne{s}{i}@example.org",
            )
            apps.append(submit_application(call, data, now=when).application)
    return apps


@pytest.fixture
def call(db):
    return roubaix_call()


@pytest.fixture
def pool_apps(call):
    return fill_pool(call)


def committed_draw(call, panels: int = 1000):
    """Freeze the pool, compute the lottery with the real solver, publish the commitment."""
    from tirage.draws import services
    from tirage.draws.models import Draw
    from tirage.draws.pool import freeze_pool

    pool = freeze_pool(call, now=AFTER_DEADLINE)
    draw = services.create_draw(pool, panels=panels)
    draw = services.prepare_draw(draw.pk)
    assert draw.status == Draw.Status.PREPARED, draw.error
    return services.commit_draw(draw)


@pytest.fixture
def committed(call, pool_apps):
    return committed_draw(call)
