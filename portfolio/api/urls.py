"""The API under /api/: read-only resources, the OpenAPI schema and a documentation page."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import docs, views
from .access import ApiAccess

app_name = "api"

router = SimpleRouter()
router.register("ideas", views.IdeaViewSet, basename="idea")
router.register("stages", views.StageViewSet, basename="stage")
router.register("review-totals", views.ReviewTotalViewSet, basename="review-total")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register("central-systems", views.CentralSystemViewSet, basename="central-system")
router.register("data-outputs", views.DataOutputViewSet, basename="data-output")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[ApiAccess]), name="schema"),
    path("docs/", docs.api_docs, name="docs"),
    *router.urls,
]
