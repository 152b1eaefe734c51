"""The read-only JSON API. Every idea queryset starts from ``visible_ideas(request.user)``.

Lists are paginated (``page``, ``page_size`` up to 200) and filtered with
django-filter; an unknown parameter, a value of the wrong type or a page out of
range is a 400 with a JSON body; a signed-in account without a role gets 403.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework import viewsets

from board.models import Decision, Meeting
from ideas.models import CentralSystem, DataOutput, Idea, IdeaCentralSystem, Recommendation, Review, Stage, StageKind
from ideas.selectors import visible_ideas

from ..selectors import MONEY, ZERO
from . import filters, serializers
from .access import ApiAccess, BoardApiAccess
from .errors import exception_handler
from .pagination import StrictPageNumberPagination

ERROR = inline_serializer("Error", {"detail": drf_serializers.CharField(),
                                    "errors": drf_serializers.DictField(required=False)})
ERRORS = {
    400: OpenApiResponse(ERROR, description="Unknown parameter, a value of the wrong type, or a page out of range."),
    403: OpenApiResponse(ERROR, description="Not signed in, or the account has no access to this part of the API."),
}


NOT_FOUND = OpenApiResponse(ERROR, description="Not found, or not visible to you.")


def documented(summary_list: str, summary_detail: str, serializer, detail_serializer=None):
    """Summaries and the error answers for a viewset's list and retrieve operations."""
    return extend_schema_view(
        list=extend_schema(summary=summary_list, responses={200: serializer(many=True), **ERRORS}),
        retrieve=extend_schema(summary=summary_detail,
                               responses={200: detail_serializer or serializer, **ERRORS, 404: NOT_FOUND}),
    )


class ApiViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [ApiAccess]
    filter_backends = [filters.StrictFilterBackend]
    pagination_class = StrictPageNumberPagination

    def get_exception_handler(self):
        return exception_handler


@documented("List ideas you may see", "One idea, with its business case and data outputs",
            serializers.IdeaSerializer, serializers.IdeaDetailSerializer)
class IdeaViewSet(ApiViewSet):
    serializer_class = serializers.IdeaSerializer
    filterset_class = filters.IdeaFilterSet
    queryset = Idea.objects.none()  # the model, for the schema; get_queryset filters by user

    def get_serializer_class(self):
        return serializers.IdeaDetailSerializer if self.action == "retrieve" else serializers.IdeaSerializer

    def get_queryset(self):
        qs = (
            visible_ideas(self.request.user)
            .select_related("stage", "department")
            .prefetch_related("departments", Prefetch("system_links", IdeaCentralSystem.objects.select_related("system")))
            .order_by("-created_at", "-pk")
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related(Prefetch("data_outputs", DataOutput.objects.prefetch_related("valued_by")))
        return qs


@documented("List workflow stages", "One workflow stage", serializers.StageSerializer)
class StageViewSet(ApiViewSet):
    serializer_class = serializers.StageSerializer
    filterset_class = filters.StageFilterSet
    queryset = Stage.objects.order_by("workflow_id", "order", "pk")


@documented("Review totals per idea you may see", "Review totals for one idea", serializers.ReviewTotalSerializer)
class ReviewTotalViewSet(ApiViewSet):
    serializer_class = serializers.ReviewTotalSerializer
    filterset_class = filters.ReviewTotalFilterSet
    queryset = Idea.objects.none()

    def get_queryset(self):
        submitted = Q(reviews__status=Review.Status.SUBMITTED)
        recommendations = {
            f"rec_{value}": Count("reviews", filter=submitted & Q(reviews__recommendation=value))
            for value in Recommendation.values
        }
        return (
            visible_ideas(self.request.user)
            .exclude(stage__kind=StageKind.DRAFT)
            .annotate(
                reviews_submitted=Count("reviews", filter=submitted),
                reviews_waiting=Count("reviews", filter=Q(reviews__status=Review.Status.ASSIGNED)),
                **recommendations,
            )
            .select_related("stage")
            .order_by("-created_at", "-pk")
        )


@documented("List Board meetings", "One Board meeting", serializers.MeetingSerializer)
class MeetingViewSet(ApiViewSet):
    permission_classes = [BoardApiAccess]
    serializer_class = serializers.MeetingSerializer
    filterset_class = filters.MeetingFilterSet
    queryset = Meeting.objects.select_related("board").order_by("-starts_at", "-pk")


@documented("List Board decisions on ideas you may see", "One Board decision", serializers.DecisionSerializer)
class DecisionViewSet(ApiViewSet):
    permission_classes = [BoardApiAccess]
    serializer_class = serializers.DecisionSerializer
    filterset_class = filters.DecisionFilterSet
    queryset = Decision.objects.none()

    def get_queryset(self):
        return (
            Decision.objects.filter(item__idea__in=visible_ideas(self.request.user).values("pk"))
            .select_related("item", "item__idea")
            .order_by("-recorded_at", "-pk")
        )


@documented("List central systems with the ideas depending on them", "One central system",
            serializers.CentralSystemSerializer)
class CentralSystemViewSet(ApiViewSet):
    serializer_class = serializers.CentralSystemSerializer
    filterset_class = filters.CentralSystemFilterSet
    queryset = CentralSystem.objects.none()

    def get_queryset(self):
        links = IdeaCentralSystem.objects.filter(
            system=OuterRef("pk"), idea__in=visible_ideas(self.request.user).exclude(stage__kind=StageKind.DRAFT).values("pk")
        ).order_by().values("system")
        return (
            CentralSystem.objects.select_related("owner_department")
            .annotate(
                dependent_ideas=Coalesce(Subquery(links.annotate(n=Count("pk")).values("n")), Value(0),
                                         output_field=IntegerField()),
                integration_cost_total=Coalesce(Subquery(links.annotate(s=Sum("integration_cost")).values("s")),
                                                Value(ZERO), output_field=MONEY),
            )
            .order_by("name", "pk")
        )


@documented("List data outputs of ideas you may see", "One data output", serializers.DataOutputSerializer)
class DataOutputViewSet(ApiViewSet):
    serializer_class = serializers.DataOutputSerializer
    filterset_class = filters.DataOutputFilterSet
    queryset = DataOutput.objects.none()

    def get_queryset(self):
        return (
            DataOutput.objects.filter(idea__in=visible_ideas(self.request.user).values("pk"))
            .select_related("idea", "idea__department")
            .prefetch_related("valued_by")
            .order_by("pk")
        )
