import pytest
from django.contrib.auth.models import Group, User

from tests.meetings.helpers import installed_council
from tirage.backoffice.roles import COORDINATOR, ensure_groups


@pytest.fixture
def council(db):
    return installed_council()


@pytest.fixture
def coordinator(db):
    ensure_groups()
    user = User.objects.create_user("coordination", password="motdepasse-solide-42")
    user.groups.add(Group.objects.get(name=COORDINATOR))
    return user
