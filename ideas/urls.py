"""Ideas URLs. Each views module lists its own patterns."""

from .views import browsing, data_needs, drafting, reviewing

app_name = "ideas"

urlpatterns = [*drafting.urlpatterns, *browsing.urlpatterns, *reviewing.urlpatterns, *data_needs.urlpatterns]
