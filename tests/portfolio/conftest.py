import pytest
from rest_framework.authtoken.models import Token


@pytest.fixture
def token_for(db):
    """An API token for a user: ``token_for(user)`` gives the Authorization header value."""

    def make(user) -> str:
        token, _ = Token.objects.get_or_create(user=user)
        return f"Token {token.key}"

    return make
