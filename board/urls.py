"""Board URLs. Each views module lists its own patterns."""

from .views import meetings, packs

app_name = "board"

urlpatterns = [*meetings.urlpatterns, *packs.urlpatterns]
