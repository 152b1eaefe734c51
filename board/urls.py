"""Board URLs. Each views module lists its own patterns."""

from .views import calendar_feed, meetings, packs

app_name = "board"

urlpatterns = [*meetings.urlpatterns, *calendar_feed.urlpatterns, *packs.urlpatterns]
