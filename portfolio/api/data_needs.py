"""The API's data needs: which idea depends on which other idea's data output, and what it needs.

A need is listed only when the person may see both ideas (``visible_ideas``), as on the idea pages.
"""

from __future__ import annotations

from django_filters.rest_framework import FilterSet
from rest_framework import serializers

from ideas.models import DataDependency, DataOutput
from ideas.selectors import visible_ideas

from ..selectors import LONG_TEXT
from .filters import IdFilter
from .serializers import IdeaRefSerializer
from .views import ApiViewSet, documented


class DataOutputRefSerializer(serializers.ModelSerializer):
    idea = IdeaRefSerializer(read_only=True)

    class Meta:
        model = DataOutput
        fields = ["id", "description", "idea"]


class DataNeedSerializer(serializers.ModelSerializer):
    idea = IdeaRefSerializer(read_only=True, help_text="The idea that depends on the data.")
    output = DataOutputRefSerializer(read_only=True, help_text="The data output it depends on, and its idea.")

    class Meta:
        model = DataDependency
        fields = ["id", "idea", "output", "need", "added_at"]


class DataNeedFilterSet(FilterSet):
    idea = IdFilter(field_name="idea_id", help_text="Id of the idea that depends on the data.")
    source = IdFilter(field_name="output__idea_id", help_text="Id of the idea that would produce the data.")
    output = IdFilter(field_name="output_id", help_text="Id of the data output.")

    class Meta:
        model = DataDependency
        fields: list[str] = []


@documented("List data needs between ideas you may see", "One data need", DataNeedSerializer)
class DataNeedViewSet(ApiViewSet):
    serializer_class = DataNeedSerializer
    filterset_class = DataNeedFilterSet
    queryset = DataDependency.objects.none()

    def get_queryset(self):
        visible = visible_ideas(user=self.request.user).values("pk")
        return (
            DataDependency.objects.filter(idea__in=visible, output__idea__in=visible)
            .select_related("idea", "output", "output__idea")
            .defer(*(f"idea__{f}" for f in LONG_TEXT), *(f"output__idea__{f}" for f in LONG_TEXT))
            .order_by("pk")
        )

