"""drafting views."""

urlpatterns: list = []
