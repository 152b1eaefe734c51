"""reviewing views."""

urlpatterns: list = []
