"""browsing views."""

urlpatterns: list = []
