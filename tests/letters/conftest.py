import pytest

from tests.aftermath import drawn_call


@pytest.fixture
def drawn(db):
    return drawn_call()
