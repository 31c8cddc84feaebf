import pytest

from tests.meetings.helpers import installed_council


@pytest.fixture
def council(db):
    return installed_council()
