"""Board URLs. Each views module lists its own patterns."""

from .views import actions, agenda, attendance, calendar_feed, decisions, meetings, minutes, packs

app_name = "board"

urlpatterns = [
    *meetings.urlpatterns,
    *agenda.urlpatterns,
    *attendance.urlpatterns,
    *decisions.urlpatterns,
    *actions.urlpatterns,
    *minutes.urlpatterns,
    *calendar_feed.urlpatterns,
    *packs.urlpatterns,
]
