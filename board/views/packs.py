"""packs views."""

urlpatterns: list = []
