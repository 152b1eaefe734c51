"""The API under /api/: read-only resources, the OpenAPI schema and a documentation page."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import capacity, data_needs, docs, joins, overlaps, token_views, views
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
router.register("idea-links", joins.IdeaLinkViewSet, basename="idea-link")
router.register("idea-merges", joins.IdeaMergeViewSet, basename="idea-merge")
router.register("data-needs", data_needs.DataNeedViewSet, basename="data-need")
router.register("team-capacity", capacity.TeamCapacityViewSet, basename="team-capacity")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[ApiAccess]), name="schema"),
    path("docs/", docs.api_docs, name="docs"),
    path("tokens/", token_views.tokens, name="tokens"),
    path("tokens/new/", token_views.token_new, name="token_new"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
    path("ideas/<int:pk>/overlaps/", overlaps.IdeaOverlapsView.as_view(), name="idea-overlaps"),
    *router.urls,
]
