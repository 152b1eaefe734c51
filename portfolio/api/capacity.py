"""Staff capacity in the API: each team's days by quarter, the same figures as the capacity page.

For portfolio readers (Board members, the secretary, admins), as the page is. Demand counts only
ideas the reader may see. Teams are paginated; each page costs a fixed number of queries.
"""

from __future__ import annotations

import django_filters as df
from django_filters.rest_framework import FilterSet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission

from harrow_innovation.core.quarters import parse_quarter_code, quarter_code, quarter_label
from harrow_innovation.people.models import Team
from ideas import capacity

from ..permissions import can_view_portfolio
from .filters import IdFilter
from .serializers import DepartmentRefSerializer
from .views import ERRORS, NOT_FOUND, ApiViewSet


class CapacityApiAccess(BasePermission):
    message = "Only Board members, the Board secretary and admins can read staff capacity."

    def has_permission(self, request, view) -> bool:
        return can_view_portfolio(request.user)


class QuarterSerializer(serializers.Serializer):
    quarter = serializers.CharField(help_text="The quarter's first month, YYYY-MM.")
    label = serializers.CharField()
    capacity = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True,
                                        help_text="Days the team declared; null when it has not.")
    approved = serializers.DecimalField(max_digits=10, decimal_places=1,
                                        help_text="Days asked by approved ideas and ideas in delivery.")
    ready_for_board = serializers.DecimalField(max_digits=10, decimal_places=1,
                                               help_text="Days asked by ideas ready for the Board.")
    if_approved = serializers.DecimalField(max_digits=10, decimal_places=1)
    over_capacity = serializers.BooleanField()
    over_capacity_if_approved = serializers.BooleanField()


class TeamCapacitySerializer(serializers.ModelSerializer):
    department = DepartmentRefSerializer(read_only=True)
    quarters = QuarterSerializer(many=True, read_only=True, source="capacity_quarters")

    class Meta:
        model = Team
        fields = ["id", "name", "department", "quarters"]


def _quarter_rows(row: capacity.TeamRow) -> list[dict]:
    return [{"quarter": quarter_code(c.quarter), "label": quarter_label(c.quarter), "capacity": c.capacity,
             "approved": c.committed, "ready_for_board": c.ready, "if_approved": c.if_approved,
             "over_capacity": c.over_now, "over_capacity_if_approved": c.over_if_approved} for c in row.cells]


class TeamCapacityFilterSet(FilterSet):
    start = df.CharFilter(method="ignore", max_length=7,
                          help_text="The first of the eight quarters shown, as YYYY-MM (month 01, 04, 07 or 10). "
                                    "This quarter if not given.")
    department = IdFilter(field_name="department_id")

    class Meta:
        model = Team
        fields: list[str] = []

    def ignore(self, queryset, name, value):
        if parse_quarter_code(value) is None:
            raise ValidationError({"start": ["Give a quarter as YYYY-MM, with month 01, 04, 07 or 10."]})
        return queryset


@extend_schema_view(
    list=extend_schema(summary="List teams with their capacity and demand for eight quarters",
                       responses={200: TeamCapacitySerializer(many=True), **ERRORS}),
    retrieve=extend_schema(summary="One team's capacity and demand for eight quarters",
                           responses={200: TeamCapacitySerializer, **ERRORS, 404: NOT_FOUND}),
)
class TeamCapacityViewSet(ApiViewSet):
    permission_classes = [CapacityApiAccess]
    serializer_class = TeamCapacitySerializer
    filterset_class = TeamCapacityFilterSet
    queryset = Team.objects.none()

    def get_queryset(self):
        return Team.objects.filter(is_active=True).select_related("department").order_by("department__name", "name", "pk")

    def _with_capacity(self, teams: list[Team]) -> list[Team]:
        start = parse_quarter_code(self.request.query_params.get("start", ""))
        quarters = capacity.quarters_from(start=start)
        table = capacity.team_capacity_table(user=self.request.user, quarters=quarters,
                                             teams=Team.objects.filter(pk__in=[t.pk for t in teams]))
        rows = {row.team.pk: _quarter_rows(row) for row in table}
        for team in teams:
            team.capacity_quarters = rows.get(team.pk, [])
        return teams

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return self._with_capacity(page) if page is not None else None

    def get_object(self):
        return self._with_capacity([super().get_object()])[0]
