"""Read-only representations for the API. Nested objects are small: id and name."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from board.models import Decision, Meeting
from harrow_innovation.people.models import Department
from ideas.models import CentralSystem, DataOutput, Idea, IdeaCentralSystem, Recommendation, Stage


class DepartmentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "slug"]


class StageRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = ["id", "name", "slug"]


class IdeaRefSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Idea
        fields = ["id", "reference", "title"]


class SystemLinkSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="system.id", read_only=True)
    name = serializers.CharField(source="system.name", read_only=True)
    slug = serializers.CharField(source="system.slug", read_only=True)

    class Meta:
        model = IdeaCentralSystem
        fields = ["id", "name", "slug", "integration_cost", "integration_note"]


class StageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = ["id", "workflow", "name", "slug", "description", "order", "kind", "is_initial", "is_final",
                  "ready_for_board", "days_allowed"]


class IdeaSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    stage = StageRefSerializer(read_only=True)
    department = DepartmentRefSerializer(read_only=True)
    departments = DepartmentRefSerializer(many=True, read_only=True)
    central_systems = SystemLinkSerializer(source="system_links", many=True, read_only=True)

    class Meta:
        model = Idea
        fields = [
            "id", "reference", "title", "stage", "department", "departments", "source", "is_confidential",
            "submitted_at", "created_at", "updated_at", "weighted_score", "review_count", "cash_savings_per_year",
            "one_off_cost", "recurring_cost", "integration_cost", "central_systems",
        ]


class DataOutputInIdeaSerializer(serializers.ModelSerializer):
    valued_by = DepartmentRefSerializer(many=True, read_only=True)

    class Meta:
        model = DataOutput
        fields = ["id", "description", "valued_by"]


class AskQuarterSerializer(serializers.Serializer):
    quarter = serializers.DateField(help_text="The quarter's first day.")
    days = serializers.DecimalField(max_digits=4, decimal_places=1)


class ResourceAskSerializer(serializers.Serializer):
    team = serializers.CharField(source="team.name", allow_null=True, default=None,
                                 help_text="Null for a note carried over from the old free-text resources.")
    team_id = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()
    quarters = AskQuarterSerializer(many=True)


class ExternalResourceSerializer(serializers.Serializer):
    name = serializers.CharField()
    cost = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    note = serializers.CharField()


class LoadPartSerializer(serializers.Serializer):
    ideas = serializers.IntegerField()
    integration = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="Their integration costs (one-off).")


class SystemLoadSerializer(serializers.Serializer):
    """One central system the idea needs: its cost, other ideas' load and the total if it were approved."""

    id = serializers.IntegerField(source="system_id")
    name = serializers.CharField()
    slug = serializers.CharField()
    integration_cost = serializers.DecimalField(source="cost", max_digits=12, decimal_places=2,
                                                help_text="This idea's integration cost on the system.")
    approved = LoadPartSerializer(help_text="Other approved ideas (not yet in delivery) you may see.")
    in_delivery = LoadPartSerializer(source="delivery", help_text="Other ideas in delivery you may see.")
    in_pipeline = LoadPartSerializer(source="pipeline", help_text="Other submitted ideas not yet decided you may see.")
    total_if_approved = serializers.DecimalField(max_digits=16, decimal_places=2,
                                                 help_text="Approved + in delivery + this idea's integration cost.")
    projects_if_approved = serializers.IntegerField(help_text="Approved + in delivery ideas + this one.")
    integration_budget = serializers.DecimalField(source="budget", max_digits=12, decimal_places=2, allow_null=True,
                                                  help_text="The system's threshold in money a year; null: none.")
    max_projects = serializers.IntegerField(allow_null=True, help_text="Its threshold in projects at once; null: none.")
    over_threshold_if_approved = serializers.BooleanField(source="over")


class IdeaDetailSerializer(IdeaSerializer):
    data_outputs = DataOutputInIdeaSerializer(many=True, read_only=True)
    resource_asks = ResourceAskSerializer(many=True, read_only=True, help_text="Staff time asked of council teams.")
    external_resources = ExternalResourceSerializer(many=True, read_only=True, help_text="Partners and suppliers.")
    system_load = SystemLoadSerializer(many=True, read_only=True,
                                       help_text="For each central system it needs, the load already on it from "
                                                 "ideas you may see (drafts, delivered and closed ideas left out).")

    class Meta(IdeaSerializer.Meta):
        fields = [*IdeaSerializer.Meta.fields, "problem", "solution", "services", "other_benefits", "timescale",
                  "start_date", "end_date", "risks", "future_proofing", "data_outputs", "resource_asks",
                  "external_resources", "system_load"]


class ReviewTotalSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    stage = StageRefSerializer(read_only=True)
    reviews_submitted = serializers.IntegerField(read_only=True)
    reviews_waiting = serializers.IntegerField(read_only=True)
    recommendations = serializers.SerializerMethodField()

    class Meta:
        model = Idea
        fields = ["id", "reference", "title", "stage", "weighted_score", "reviews_submitted", "reviews_waiting",
                  "recommendations"]

    @extend_schema_field({"type": "object", "properties": {v: {"type": "integer"} for v in Recommendation.values}})
    def get_recommendations(self, idea) -> dict:
        return {value: getattr(idea, f"rec_{value}", 0) for value in Recommendation.values}


class MeetingSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="display_title", read_only=True)
    board = serializers.CharField(source="board.name", read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "title", "board", "starts_at", "duration_minutes", "location", "online_link", "status",
                  "published_at", "held_at"]


class DecisionSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="item.meeting_id", read_only=True)
    idea = IdeaRefSerializer(source="item.idea", read_only=True)
    item = serializers.CharField(source="item.title", read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "meeting", "item", "idea", "outcome", "conditions", "park_until", "budget_allocated",
                  "people_allocated", "external_support", "recorded_at"]


class CentralSystemSerializer(serializers.ModelSerializer):
    owner_department = DepartmentRefSerializer(read_only=True)
    dependent_ideas = serializers.IntegerField(read_only=True, help_text="Ideas you may see that integrate with it.")
    integration_cost_total = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = CentralSystem
        fields = ["id", "name", "slug", "description", "owner_department", "is_active", "dependent_ideas",
                  "integration_cost_total", "integration_budget", "max_projects"]
        extra_kwargs = {"integration_budget": {"help_text": "Threshold: integration of approved and in-delivery "
                                                            "work it can take in a year; null: none."},
                        "max_projects": {"help_text": "Threshold: integration projects at once; null: none."}}


class DataOutputSerializer(serializers.ModelSerializer):
    idea = IdeaRefSerializer(read_only=True)
    producer = DepartmentRefSerializer(source="idea.department", read_only=True, allow_null=True)
    valued_by = DepartmentRefSerializer(many=True, read_only=True)

    class Meta:
        model = DataOutput
        fields = ["id", "description", "idea", "producer", "valued_by"]
