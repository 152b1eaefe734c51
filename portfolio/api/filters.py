"""Filters for the API (django-filter). Unknown parameters and values of the wrong type are a 400.

Numbers are bounded before they reach the database, text has NUL characters
refused (Django's CharField), and dates must be real dates.
"""

from __future__ import annotations

from decimal import Decimal

import django_filters as df
from django import forms
from django.db.models import Exists, OuterRef, Q
from django_filters.rest_framework import DjangoFilterBackend, FilterSet
from rest_framework.exceptions import ValidationError

from board.models import Decision, Meeting, MeetingStatus
from ideas.models import CentralSystem, DataOutput, Idea, IdeaCentralSystem, Outcome, Source, Stage, StageKind
from ideas.selectors import apply_search, in_stages

MAX_ID = 2**63 - 1
PAGINATION_PARAMS = {"page", "page_size", "format"}


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdFilter(df.NumberFilter):
    """An id: a whole number from 1 to 2⁶³−1."""

    field_class = IdField


class ScoreFilter(df.NumberFilter):
    field_class = forms.DecimalField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_value", Decimal("5"))
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


class SearchFilter(df.CharFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("help_text", "Words to search for (at most 200 characters).")
        super().__init__(*args, **kwargs)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, but a query parameter nobody asked for is a 400 rather than silently ignored."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        allowed = set(PAGINATION_PARAMS)
        if filterset is not None:
            allowed |= set(filterset.form.fields)
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ValidationError({name: [f"Unknown parameter. Use: {', '.join(sorted(allowed))}."] for name in unknown[:20]})
        return super().filter_queryset(request, queryset, view)


class IdeaFilterSet(FilterSet):
    q = SearchFilter(method="search", help_text="Full-text search over title, problem and solution.")
    stage = IdFilter(method="in_stage", help_text="Stage id.")
    stage_slug = df.CharFilter(field_name="stage__slug", max_length=80, help_text="Stage slug, e.g. ready-for-board.")
    stage_kind = df.ChoiceFilter(field_name="stage__kind", choices=StageKind.choices)
    ready_for_board = df.BooleanFilter(field_name="stage__ready_for_board")
    department = IdFilter(method="served_by", help_text="Id of a department the idea serves.")
    system = IdFilter(method="uses_system", help_text="Id of a central system the idea integrates with.")
    source = df.ChoiceFilter(choices=Source.choices)
    confidential = df.BooleanFilter(field_name="is_confidential")
    submitted_after = df.DateFilter(field_name="submitted_at__date", lookup_expr="gte")
    submitted_before = df.DateFilter(field_name="submitted_at__date", lookup_expr="lte")
    min_score = ScoreFilter(field_name="weighted_score", lookup_expr="gte")
    max_score = ScoreFilter(field_name="weighted_score", lookup_expr="lte")
    ordering = df.OrderingFilter(fields=(("created_at", "created"), ("submitted_at", "submitted"),
                                         ("weighted_score", "score"), ("title", "title"), ("id", "id")))

    class Meta:
        model = Idea
        fields: list[str] = []

    def search(self, queryset, name, value):
        return apply_search(qs=queryset, q=value)

    def in_stage(self, queryset, name, value):
        return in_stages(qs=queryset, stages=[value])  # as bigint, so a search's index takes the stage too

    def served_by(self, queryset, name, value):
        through = Idea.departments.through
        return queryset.filter(Exists(through.objects.filter(idea_id=OuterRef("pk"), department_id=value)))

    def uses_system(self, queryset, name, value):
        return queryset.filter(Exists(IdeaCentralSystem.objects.filter(idea_id=OuterRef("pk"), system_id=value)))


class StageFilterSet(FilterSet):
    kind = df.ChoiceFilter(choices=StageKind.choices)
    ready_for_board = df.BooleanFilter()
    workflow = IdFilter(field_name="workflow_id")

    class Meta:
        model = Stage
        fields: list[str] = []


class ReviewTotalFilterSet(FilterSet):
    stage = IdFilter(field_name="stage_id")
    ready_for_board = df.BooleanFilter(field_name="stage__ready_for_board")
    min_score = ScoreFilter(field_name="weighted_score", lookup_expr="gte")
    reviewed = df.BooleanFilter(method="has_reviews", help_text="true: at least one submitted review.")

    class Meta:
        model = Idea
        fields: list[str] = []

    def has_reviews(self, queryset, name, value):
        return queryset.filter(reviews_submitted__gt=0) if value else queryset.filter(reviews_submitted=0)


class MeetingFilterSet(FilterSet):
    status = df.ChoiceFilter(choices=MeetingStatus.choices)
    starts_after = df.DateFilter(field_name="starts_at__date", lookup_expr="gte")
    starts_before = df.DateFilter(field_name="starts_at__date", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields: list[str] = []


class DecisionFilterSet(FilterSet):
    outcome = df.ChoiceFilter(choices=[c for c in Outcome.choices if c[0]])
    meeting = IdFilter(field_name="item__meeting_id")
    idea = IdFilter(field_name="item__idea_id")
    recorded_after = df.DateFilter(field_name="recorded_at__date", lookup_expr="gte")
    recorded_before = df.DateFilter(field_name="recorded_at__date", lookup_expr="lte")

    class Meta:
        model = Decision
        fields: list[str] = []


class CentralSystemFilterSet(FilterSet):
    q = SearchFilter(method="search", help_text="Words in the system's name or description.")
    is_active = df.BooleanFilter()
    owner_department = IdFilter(field_name="owner_department_id")

    class Meta:
        model = CentralSystem
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class DataOutputFilterSet(FilterSet):
    q = SearchFilter(method="search", help_text="Words in the description or the idea's title.")
    idea = IdFilter(field_name="idea_id")
    department = IdFilter(method="valued_by", help_text="Id of a department that would value the data.")
    producer = IdFilter(field_name="idea__department_id", help_text="Id of the producing idea's department.")

    class Meta:
        model = DataOutput
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(description__icontains=value) | Q(idea__title__icontains=value))

    def valued_by(self, queryset, name, value):
        through = DataOutput.valued_by.through
        return queryset.filter(Exists(through.objects.filter(dataoutput_id=OuterRef("pk"), department_id=value)))
