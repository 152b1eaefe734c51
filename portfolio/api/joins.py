"""Links between ideas and merges in the read-only API (issue 13).

Only links and merges whose two ideas the caller may both see are listed: a link to
a confidential idea or someone else's draft is left out, not counted.
"""

from __future__ import annotations

import django_filters as df
from django.db.models import Q
from django_filters.rest_framework import FilterSet
from rest_framework import serializers

from ideas.models import IdeaLink, IdeaMerge, LinkKind
from ideas.selectors_joins import visible_links, visible_merges

from .filters import IdFilter
from .serializers import IdeaRefSerializer
from .views import ApiViewSet, documented


class IdeaLinkSerializer(serializers.ModelSerializer):
    from_idea = IdeaRefSerializer(read_only=True)
    to_idea = IdeaRefSerializer(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = IdeaLink
        fields = ["id", "from_idea", "kind", "kind_label", "to_idea", "created_at"]


class IdeaMergeSerializer(serializers.ModelSerializer):
    merged = IdeaRefSerializer(read_only=True)
    survivor = IdeaRefSerializer(read_only=True)

    class Meta:
        model = IdeaMerge
        fields = ["id", "merged", "survivor", "at", "reason", "followers_copied", "contributors_added"]


class IdeaLinkFilterSet(FilterSet):
    idea = IdFilter(method="either_end", help_text="Id of an idea at either end of the link.")
    kind = df.ChoiceFilter(choices=LinkKind.choices)

    class Meta:
        model = IdeaLink
        fields: list[str] = []

    def either_end(self, queryset, name, value):
        return queryset.filter(Q(from_idea_id=value) | Q(to_idea_id=value))


class IdeaMergeFilterSet(FilterSet):
    idea = IdFilter(method="either_side", help_text="Id of the merged idea or of the idea it was merged into.")

    class Meta:
        model = IdeaMerge
        fields: list[str] = []

    def either_side(self, queryset, name, value):
        return queryset.filter(Q(merged_id=value) | Q(survivor_id=value))


@documented("List links between ideas you may see", "One link between two ideas", IdeaLinkSerializer)
class IdeaLinkViewSet(ApiViewSet):
    serializer_class = IdeaLinkSerializer
    filterset_class = IdeaLinkFilterSet
    queryset = IdeaLink.objects.none()  # the model, for the schema; get_queryset filters by user

    def get_queryset(self):
        return visible_links(user=self.request.user)


@documented("List merges of ideas you may see", "One merge of a duplicate into the idea that carries on",
            IdeaMergeSerializer)
class IdeaMergeViewSet(ApiViewSet):
    serializer_class = IdeaMergeSerializer
    filterset_class = IdeaMergeFilterSet
    queryset = IdeaMerge.objects.none()

    def get_queryset(self):
        return visible_merges(user=self.request.user)
