import pytest

from tests.factories import UserFactory


@pytest.fixture
def staff(client, db):
    """Admin Dinas's superuser, logged in on `client` (modules may define their own)."""
    user = UserFactory(username="petugas", superuser=True)
    client.force_login(user)
    return user
