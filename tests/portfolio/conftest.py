import pytest
from django.utils import timezone


@pytest.fixture
def token_for(db):
    """An API token for a user: ``token_for(user)`` gives the Authorization header value."""

    def make(user) -> str:
        from portfolio.api.tokens import api_token_create
        from portfolio.models import ApiToken

        token = api_token_create(user=user, name="Tests", by=user)
        # As a token in steady use: its last use was just recorded, so requests pin the same queries.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return f"Token {token.secret}"

    return make


@pytest.fixture
def api(token_for):
    """``api(user)`` is a client that sends the user's token, like a service account would."""

    def make(user):
        from django.test import Client

        return Client(HTTP_AUTHORIZATION=token_for(user))

    return make
