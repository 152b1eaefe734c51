"""An idea's overlapping ideas in the read-only API (issue 13): ``/api/ideas/<id>/overlaps/``.

The same selector as the idea page (``ideas.overlaps.overlaps_for_idea``), so the same
rules: only an idea the caller may see (404 otherwise), only overlapping ideas the
caller may see, never drafts; a confidential idea is left out, not counted.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from ideas.overlaps import overlaps_for_idea
from ideas.selectors import visible_ideas

from .access import ApiAccess
from .errors import exception_handler
from .views import ERRORS, NOT_FOUND

MAX_LIMIT = 20


class OwnerSerializer(serializers.Serializer):
    name = serializers.CharField(source="owner_name")
    email = serializers.EmailField(source="owner_email")
    department = serializers.CharField(source="owner_department")


class OverlapSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="idea_id", help_text="The overlapping idea's id.")
    reference = serializers.CharField()
    title = serializers.CharField()
    stage = serializers.CharField(source="stage_name")
    department = serializers.CharField(source="department_name")
    score = serializers.FloatField(help_text="Combined score between 0 and 1: text, systems, data and departments.")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why it matched, in plain words.")
    shared_systems = serializers.ListField(child=serializers.CharField(), source="systems")
    data_valued_by_same_departments = serializers.ListField(child=serializers.CharField(), source="data_valued_by")
    departments_served_in_common = serializers.ListField(child=serializers.CharField(), source="departments_served")
    owner = OwnerSerializer(source="*")
    is_mine = serializers.BooleanField(help_text="You own or co-own the overlapping idea.")


class _Query(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, required=False, default=5)


class IdeaOverlapsView(GenericAPIView):
    permission_classes = [ApiAccess]
    serializer_class = OverlapSerializer
    pagination_class = None

    def get_exception_handler(self):
        return exception_handler

    @extend_schema(
        summary="Ideas overlapping with one idea, best first, with the reasons and whom to contact",
        parameters=[OpenApiParameter("limit", int, description=f"How many, 1 to {MAX_LIMIT} (default 5).")],
        responses={200: OverlapSerializer(many=True), **ERRORS, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        unknown = set(request.query_params) - {"limit", "format"}
        if unknown:
            raise serializers.ValidationError({name: ["Unknown parameter."] for name in sorted(unknown)})
        query = _Query(data=request.query_params)
        query.is_valid(raise_exception=True)
        idea = visible_ideas(user=request.user).filter(pk=pk).first()
        if idea is None:
            raise Http404("No idea with that number, or you may not see it.")
        found = overlaps_for_idea(user=request.user, idea=idea, limit=query.validated_data["limit"])
        return Response(OverlapSerializer(found, many=True).data)
