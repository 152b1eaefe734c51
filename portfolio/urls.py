"""Portfolio URLs. Each views module lists its own patterns."""

from .views import capacity, dashboards, data, delivery, exports, prioritisation, systems

app_name = "portfolio"

urlpatterns = [
    *systems.urlpatterns,
    *data.urlpatterns,
    *prioritisation.urlpatterns,
    *delivery.urlpatterns,
    *dashboards.urlpatterns,
    *exports.urlpatterns,
    *capacity.urlpatterns,
]
