"""meetings views."""

urlpatterns: list = []
