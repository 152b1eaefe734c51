"""Ideas URLs. Each views module lists its own patterns."""

from .views import browsing, data_needs, drafting, joining, reviewing, triage

app_name = "ideas"

urlpatterns = [*drafting.urlpatterns, *browsing.urlpatterns, *reviewing.urlpatterns, *joining.urlpatterns,
               *data_needs.urlpatterns, *triage.urlpatterns]
