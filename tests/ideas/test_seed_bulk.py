"""`manage.py seed_bulk --ideas N`: N realistic ideas, spread out, shaped as the services shape them."""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Avg, Count
from django.test import Client
from django.urls import reverse

from harrow_innovation.people.models import User
from ideas import selectors
from ideas.models import DataOutput, Idea, IdeaCentralSystem, IdeaEvent, Review, Score, StageChange, StageKind

pytestmark = pytest.mark.django_db


def seed(n: int, **options) -> str:
    out = io.StringIO()
    call_command("seed_bulk", ideas=n, stdout=out, **options)
    return out.getvalue()


def test_seed_bulk_creates_n_ideas_spread_across_the_service():
    output = seed(300, batch_size=70)
    assert "Created 300 ideas" in output
    ideas = Idea.objects.all()
    assert ideas.count() == 300
    assert ideas.values("stage").distinct().count() >= 10
    assert ideas.values("department").distinct().count() >= 6
    assert ideas.values("source").distinct().count() == 5
    assert ideas.filter(stage__kind=StageKind.DRAFT, submitted_at__isnull=True).exists()
    assert not ideas.exclude(stage__kind=StageKind.DRAFT).filter(submitted_at__isnull=True).exists()
    assert ideas.filter(is_confidential=True).exists()
    assert ideas.values("title").distinct().count() > 200  # varied titles
    # Central systems with costs, and the idea's total kept as services keep it
    assert IdeaCentralSystem.objects.values("system").distinct().count() >= 8
    for idea in ideas.annotate(n=Count("system_links")).filter(n__gt=0)[:20]:
        assert idea.integration_cost == sum(link.integration_cost for link in idea.system_links.all())
    # Data outputs valued by other departments
    assert DataOutput.objects.filter(valued_by__isnull=False).exists()
    # Scores: the idea's score is the mean of its submitted reviews, each with a score per criterion
    scored = ideas.filter(weighted_score__isnull=False)
    assert scored.count() > 50
    for idea in scored[:20]:
        mean = Review.objects.filter(idea=idea, status="submitted").aggregate(m=Avg("weighted_score"))["m"]
        assert idea.weighted_score == Decimal(mean).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert idea.review_count == idea.reviews.count()
    assert Score.objects.count() == Review.objects.count() * 5
    assert scored.values("weighted_score").distinct().count() > 5
    # What the services would have written: search text, a timeline, a move, a history record
    assert not ideas.filter(search_text="").exists()
    assert IdeaEvent.objects.filter(kind="created").count() == 300
    assert StageChange.objects.count() == ideas.exclude(stage__kind=StageKind.DRAFT).count()
    assert Idea.history.count() == 300


def test_seeded_ideas_can_be_found_and_browsed(people):
    seed(200)
    officer = people["officer"]
    found = selectors.filtered_ideas(user=officer, filters=selectors.IdeaFilters(q="street lighting"))
    assert found.exists()
    idea = found.first()
    assert selectors.similar_ideas(user=officer, title=idea.title, problem=idea.problem, exclude_id=idea.pk)
    client = Client()
    client.force_login(officer)
    assert client.get(reverse("ideas:list"), {"q": "repairs", "sort": "score"}).status_code == 200
    assert client.get(reverse("ideas:detail", kwargs={"pk": idea.pk})).status_code == 200


def test_running_it_again_adds_more_and_reuses_its_people():
    seed(50)
    users = User.objects.count()
    seed(50, seed=7)
    assert Idea.objects.count() == 100
    assert User.objects.count() == users


@pytest.mark.parametrize("options", [{"ideas": 0}, {"ideas": -5}, {"ideas": 10, "batch_size": 0}])
def test_bad_arguments_are_refused(options):
    with pytest.raises(CommandError):
        call_command("seed_bulk", **options)
    assert not Idea.objects.exists()


@pytest.mark.django_db
def test_seed_bulk_refuses_under_production_settings_unless_the_operator_names_the_risk(settings):
    from ideas.models import Idea

    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run under production settings"):
        call_command("seed_bulk", "--ideas", "3", stdout=io.StringIO())
    assert not Idea.objects.exists()
    call_command("seed_bulk", "--ideas", "3", "--i-know-this-fills-production-with-made-up-ideas", stdout=io.StringIO())
    assert Idea.objects.count() >= 3
