"""The read-only JSON API. Every idea queryset starts from ``visible_ideas(request.user)``.

Lists are paginated (``page``, ``page_size`` up to 200) and filtered with
django-filter; an unknown parameter, a value of the wrong type or a page out of
range is a 400 with a JSON body; a signed-in account without a role gets 403.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework import viewsets

from board.models import Decision, Meeting
from ideas.capped import capped_count, page_number
from ideas.models import CentralSystem, DataOutput, Idea, IdeaCentralSystem, Recommendation, Review, Stage, StageKind
from ideas.resource_models import resource_prefetches
from ideas.selectors import IdeaFilters, count_ideas, visible_ideas
from ideas.system_load import loads_from_links

from ..selectors import ZERO
from . import filters, serializers
from .access import ApiAccess, BoardApiAccess
from .errors import exception_handler
from .pagination import PAGING_PARAMETERS, CountedPaginator, StrictPageNumberPagination

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
            visible_ideas(user=self.request.user)
            .select_related("stage", "department")
            .prefetch_related("departments", Prefetch("system_links", IdeaCentralSystem.objects.select_related("system")))
            .order_by("-created_at", "-pk")
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related(Prefetch("data_outputs", DataOutput.objects.prefetch_related("valued_by")),
                                     *resource_prefetches())
        return qs

    def get_object(self):
        """One idea, with the load on each central system it needs (one more query: its links come with it)."""
        idea = super().get_object()
        idea.system_load = loads_from_links(idea=idea, links=list(idea.system_links.all()), user=self.request.user)
        return idea

    def paginate_queryset(self, queryset):
        """An unfiltered list takes its total from the ideas' kept tally (``count_ideas``), as the idea list does."""
        if not set(self.request.query_params) - PAGING_PARAMETERS:
            count = count_ideas(user=self.request.user, filters=IdeaFilters(), ideas=queryset)
            self.paginator.django_paginator_class = lambda rows, size: CountedPaginator(rows, size, count=count)
        elif self.request.query_params.get("q"):  # a search: counted up to a cap (ideas/capped.py)
            paginator = self.paginator
            page = page_number(self.request.query_params.get(paginator.page_query_param, ""))
            counted = capped_count(queryset, page=page, per_page=paginator.get_page_size(self.request))
            paginator.count_capped = counted.capped
            paginator.django_paginator_class = lambda rows, size: CountedPaginator(rows, size, count=counted.count)
        return super().paginate_queryset(queryset)


@documented("List workflow stages", "One workflow stage", serializers.StageSerializer)
class StageViewSet(ApiViewSet):
    serializer_class = serializers.StageSerializer
    filterset_class = filters.StageFilterSet
    queryset = Stage.objects.order_by("workflow_id", "order", "pk")


def _count_reviews(**conditions) -> Coalesce:
    """Reviews of the outer idea matching ``conditions``, counted in a correlated subquery.

    Evaluated only for the rows of the page (after LIMIT), not for every visible idea.
    """
    reviews = Review.objects.filter(idea=OuterRef("pk"), **conditions).order_by().values("idea")
    return Coalesce(Subquery(reviews.annotate(n=Count("pk")).values("n")), Value(0), output_field=IntegerField())


@documented("Review totals per idea you may see", "Review totals for one idea", serializers.ReviewTotalSerializer)
class ReviewTotalViewSet(ApiViewSet):
    serializer_class = serializers.ReviewTotalSerializer
    filterset_class = filters.ReviewTotalFilterSet
    queryset = Idea.objects.none()

    def get_queryset(self):
        submitted = Review.Status.SUBMITTED
        recommendations = {
            f"rec_{value}": _count_reviews(status=submitted, recommendation=value) for value in Recommendation.values
        }
        return (
            visible_ideas(user=self.request.user)
            .exclude(stage__kind=StageKind.DRAFT)
            .annotate(
                reviews_submitted=_count_reviews(status=submitted),
                reviews_waiting=_count_reviews(status=Review.Status.ASSIGNED),
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
            Decision.objects.filter(item__idea__in=visible_ideas(user=self.request.user).values("pk"))
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
        return CentralSystem.objects.select_related("owner_department").order_by("name", "pk")

    def _with_load(self, systems: list[CentralSystem]) -> list[CentralSystem]:
        """Dependent ideas the user may see and their integration costs, for these systems in one grouped query."""
        ideas = visible_ideas(user=self.request.user).exclude(stage__kind=StageKind.DRAFT).values("pk")
        rows = (
            IdeaCentralSystem.objects.filter(system__in=[s.pk for s in systems], idea__in=ideas)
            .values("system_id")
            .annotate(n=Count("pk"), total=Sum("integration_cost"))
        )
        loads = {row["system_id"]: (row["n"], row["total"]) for row in rows}
        for system in systems:
            system.dependent_ideas, system.integration_cost_total = loads.get(system.pk, (0, ZERO))
        return systems

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return self._with_load(page) if page is not None else None

    def get_object(self):
        return self._with_load([super().get_object()])[0]


@documented("List data outputs of ideas you may see", "One data output", serializers.DataOutputSerializer)
class DataOutputViewSet(ApiViewSet):
    serializer_class = serializers.DataOutputSerializer
    filterset_class = filters.DataOutputFilterSet
    queryset = DataOutput.objects.none()

    def get_queryset(self):
        return (
            DataOutput.objects.filter(idea__in=visible_ideas(user=self.request.user).values("pk"))
            .select_related("idea", "idea__department")
            .prefetch_related("valued_by")
            .order_by("pk")
        )
