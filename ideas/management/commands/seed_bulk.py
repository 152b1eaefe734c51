"""`python manage.py seed_bulk --ideas N`: many realistic ideas, quickly, for benchmarks.

Writes with ``bulk_create`` in batches rather than through ``ideas.services``:
services lock, audit and enqueue one idea at a time, which is right for people
and far too slow for 20,000 rows. The rows are shaped like the services' own
(search text, integration cost totals, weighted scores, a timeline and a
history record per idea), so every page shows them as it would real ideas.

For benchmarks and load tests only: never run it against a production database.
"""

from __future__ import annotations

import datetime
import random
import time
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from harrow_innovation.people.demo import DEPARTMENTS
from harrow_innovation.people.models import Department, RoleGroup, User
from harrow_innovation.people.roles import Role, sync_role_groups
from harrow_innovation.people.services import department_ensure
from ideas.models import (
    CentralSystem,
    Criterion,
    DataOutput,
    EventKind,
    Idea,
    IdeaCentralSystem,
    IdeaEvent,
    Recommendation,
    Review,
    Score,
    Source,
    Stage,
    StageChange,
    Workflow,
)
from ideas.services import weighted_total
from ideas.workflow_seed import seed_defaults

# How ideas spread over the default workflow's stages (slug, weight).
STAGE_WEIGHTS = [
    ("draft", 8), ("submitted", 10), ("triage", 12), ("business-case-review", 15), ("more-information", 5),
    ("ready-for-board", 8), ("approved", 8), ("approved-with-conditions", 4), ("parked", 4), ("in-delivery", 8),
    ("delivered", 6), ("rejected", 7), ("withdrawn", 5),
]
# Stages an idea reaches only after business case review: these have submitted reviews and a score.
SCORED = {"ready-for-board", "approved", "approved-with-conditions", "parked", "in-delivery", "delivered", "rejected"}

APPROACHES = [
    "Online", "Automated", "Shared", "Predictive", "Mobile", "Digital", "Self-service", "Sensor-based", "Data-led",
    "Joined-up", "Paperless", "Smart", "AI-assisted", "Real-time", "Community-run", "Cloud-based", "Simplified",
]
THINGS = [
    "booking", "forms", "case tracking", "payments", "reporting", "scheduling", "monitoring", "chatbot", "dashboards",
    "referrals", "appointments", "inspections", "route planning", "document scanning", "text reminders", "triage",
    "translation", "mapping", "alerts", "feedback", "e-signatures", "waiting lists", "stock control", "rota planning",
]
SUBJECTS = [
    "bulky waste collection", "parking permits", "council tax", "housing repairs", "school admissions",
    "street lighting", "social care assessments", "library loans", "planning applications", "pest control",
    "blue badge applications", "fly-tipping reports", "damp and mould", "home adaptations", "school transport",
    "food hygiene inspections", "licensing", "rent arrears", "care home placements", "early help referrals",
    "tree maintenance", "potholes", "graffiti removal", "allotments", "electoral registration", "business rates",
    "community hub rooms", "youth services", "adult learning", "noise complaints", "missed bin collections",
    "temporary accommodation", "meals on wheels", "air quality", "flood risk", "garden waste subscriptions",
]
WHO = [
    "Residents", "Tenants", "Families", "Older residents", "Local businesses", "Social workers", "Housing officers",
    "Carers", "Schools", "Councillors", "Contact centre staff", "Inspectors", "Disabled residents", "Young people",
]
DELAYS = ["days", "weeks", "more than a month", "far too long", "several visits"]
CAUSES = [
    "requests arrive on paper and are retyped", "each team keeps its own spreadsheet",
    "nobody can see the whole history of a case", "the phone line is the only way in",
    "the same data is keyed in several times", "visits are planned by hand each morning",
    "our systems do not talk to each other", "faults are only found when someone complains",
    "information is scattered across email inboxes", "staff chase updates by phone",
]
BENEFITS = [
    "routes each request to the right team", "lets residents do it themselves at any time",
    "warns staff before problems grow", "shares data safely across departments", "cuts repeat visits",
    "plans the work automatically each morning", "keeps residents told what happens next",
    "gives managers a live view of demand",
]
OUTPUT_PATTERNS = [
    "Demand for {subject} by ward, monthly", "Response times for {subject}", "Use of {thing} by team",
    "Repeat contacts about {subject}", "Costs of {subject} by area, quarterly",
]
RISKS = ["Staff need training.", "Supplier lock-in.", "Integration may take longer than planned.",
         "Residents without internet need another way in.", "Data protection impact assessment needed."]
FUTURE = ["Built on open standards.", "Uses data the council owns.", "No long contract; we can switch supplier.",
          "Runs on the council's cloud platform."]

BULK_EMAIL = "bulk.officer{:04d}@harrow.example"
BULK_SECRETARY = "bulk.secretary@harrow.example"


class Command(BaseCommand):
    help = "Create N realistic ideas quickly (bulk inserts), for benchmarks. Never run it in production."

    def add_arguments(self, parser):
        parser.add_argument("--ideas", type=int, required=True, help="How many ideas to create.")
        parser.add_argument("--seed", type=int, default=2024, help="Random seed, so runs are repeatable.")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--i-know-this-fills-production-with-made-up-ideas", dest="accept_fake_data", action="store_true",
            help="Run under production settings anyway.",
        )

    def handle(self, *args, ideas: int, seed: int, batch_size: int, **options):
        if settings.IS_PRODUCTION and not options["accept_fake_data"]:
            raise CommandError(
                "seed_bulk refuses to run under production settings: it adds made-up ideas and people that would "
                "mix with real ones. If this really is a test server, run it again with "
                "--i-know-this-fills-production-with-made-up-ideas."
            )
        if ideas < 1:
            raise CommandError("--ideas must be 1 or more.")
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more.")
        started = time.perf_counter()
        count = seed_bulk(ideas=ideas, seed=seed, batch_size=batch_size)
        seconds = time.perf_counter() - started
        self.stdout.write(f"Created {count} ideas in {seconds:.1f} s.")


def _money(rng: random.Random, low: int, high: int, step: int = 500) -> Decimal:
    return Decimal(rng.randrange(low, high, step))


@transaction.atomic
def seed_bulk(*, ideas: int, seed: int = 2024, batch_size: int = 1000) -> int:
    rng = random.Random(seed)
    seed_defaults()
    workflow = Workflow.objects.get(is_default=True)
    stages = {s.slug: s for s in Stage.objects.filter(workflow=workflow)}
    draft = next(s for s in stages.values() if s.is_initial)
    weighted_stages = [(stages[slug], weight) for slug, weight in STAGE_WEIGHTS if slug in stages]
    stage_pool = [stage for stage, weight in weighted_stages for _ in range(weight)]
    departments = [department_ensure(name=name) for name in DEPARTMENTS]
    departments = list(Department.objects.filter(is_active=True)) or departments
    systems = list(CentralSystem.objects.filter(is_active=True)) or list(CentralSystem.objects.all())
    criteria = list(Criterion.objects.filter(is_active=True))
    officers, reviewers, secretary = _people(departments, wanted=max(20, min(400, ideas // 50)))

    now = timezone.now()
    total = 0
    for start in range(0, ideas, batch_size):
        size = min(batch_size, ideas - start)
        _batch(rng, size, now, workflow, draft, stage_pool, departments, systems, criteria, officers, reviewers,
               secretary)
        total += size
    return total


def _people(departments: list[Department], *, wanted: int) -> tuple[list[User], list[User], User]:
    """Officers to own the ideas (a tenth of them also reviewers) and a secretary, created in bulk."""
    sync_role_groups()
    groups = {link.role: link.group for link in RoleGroup.objects.select_related("group")}
    existing = {u.email: u for u in User.objects.filter(email__startswith="bulk.")}
    unusable = make_password(None)
    new = []
    for i in range(wanted):
        email = BULK_EMAIL.format(i)
        if email not in existing:
            new.append(User(email=email, full_name=f"Bulk Officer {i:04d}", password=unusable,
                            department=departments[i % len(departments)], job_title="Officer"))
    if BULK_SECRETARY not in existing:
        new.append(User(email=BULK_SECRETARY, full_name="Bulk Secretary", password=unusable,
                        department=departments[0], job_title="Innovation Board secretary"))
    created = User.objects.bulk_create(new)
    memberships = []
    Membership = User.groups.through  # noqa: N806 - a model class
    for user in created:
        if user.email == BULK_SECRETARY:
            memberships += [Membership(user_id=user.pk, group_id=groups[Role.SECRETARY].pk),
                            Membership(user_id=user.pk, group_id=groups[Role.OFFICER].pk)]
            continue
        memberships.append(Membership(user_id=user.pk, group_id=groups[Role.OFFICER].pk))
        if int(user.email[12:16]) % 10 == 0:
            memberships.append(Membership(user_id=user.pk, group_id=groups[Role.REVIEWER].pk))
    Membership.objects.bulk_create(memberships, ignore_conflicts=True)
    users = list(User.objects.filter(email__startswith="bulk.officer").order_by("email")[:wanted])
    reviewers = [u for u in users if int(u.email[12:16]) % 10 == 0]
    secretary = User.objects.get(email=BULK_SECRETARY)
    return users, reviewers, secretary


def _batch(rng, size, now, workflow, draft, stage_pool, departments, systems, criteria, officers, reviewers,
           secretary) -> None:
    ideas: list[Idea] = []
    plans = []
    review_stage = next((s for s in stage_pool if s.slug == "business-case-review"), None)
    for _ in range(size):
        stage = rng.choice(stage_pool)
        owner = rng.choice(officers)
        approach, thing, subject = rng.choice(APPROACHES), rng.choice(THINGS), rng.choice(SUBJECTS)
        title = f"{approach} {thing} for {subject}"
        problem = (f"{rng.choice(WHO)} wait {rng.choice(DELAYS)} for {subject} because {rng.choice(CAUSES)}. "
                   f"It costs about {rng.randrange(20, 400, 10)} officer hours a month.")
        solution = (f"{approach} {thing} that {rng.choice(BENEFITS)}, so {rng.choice(WHO).lower()} "
                    f"get {subject} sorted sooner.")
        created = now - datetime.timedelta(days=rng.randrange(1, 3 * 365), minutes=rng.randrange(0, 1440))
        is_draft = stage.pk == draft.pk
        submitted = None if is_draft else created + datetime.timedelta(days=rng.randrange(0, 20))
        entered = created if is_draft else submitted + datetime.timedelta(days=rng.randrange(0, 60))
        links = rng.sample(systems, k=min(len(systems), rng.choice([0, 1, 1, 2, 2, 3])))
        link_costs = [_money(rng, 0, 60000) for _ in links]
        served = {owner.department_id} | {d.pk for d in rng.sample(departments, k=rng.choice([0, 0, 1, 2]))}
        idea = Idea(
            title=title, problem=problem, solution=solution, services=subject.capitalize(),
            source=rng.choice(Source.values), source_detail="",
            cash_savings_per_year=_money(rng, 0, 400000), other_benefits="Faster service and less duplicated work.",
            one_off_cost=_money(rng, 5000, 300000), recurring_cost=_money(rng, 0, 50000),
            timescale=rng.choice(["3 months", "6 months", "12 months", "18 months"]),
            risks=rng.choice(RISKS), future_proofing=rng.choice(FUTURE),
            owner=owner, department_id=owner.department_id, is_confidential=rng.random() < 0.03,
            workflow=workflow, stage=stage, stage_entered_at=entered, submitted_at=submitted,
            parked_until=(now + datetime.timedelta(days=60)).date() if stage.slug == "parked" else None,
            integration_cost=sum(link_costs, Decimal("0")), created_at=created,
        )
        idea.search_text = " ".join((title, problem, solution))  # Idea.save() does this; bulk_create skips save()
        # Reviews are planned first so the idea is inserted with its score (no UPDATE afterwards).
        planned_reviews = []
        if stage.slug in SCORED and reviewers and criteria:
            for reviewer in rng.sample(reviewers, k=min(len(reviewers), rng.choice([1, 1, 2]))):
                if reviewer.pk != owner.pk:
                    planned_reviews.append((reviewer, [(c, rng.choice([2, 3, 3, 4, 4, 5])) for c in criteria]))
        if planned_reviews:
            totals = [weighted_total([(score, c.weight) for c, score in scores]) for _, scores in planned_reviews]
            # The idea's score is the mean of its reviews' weighted totals, as ideas.services.reviews._refresh_idea_score keeps it.
            idea.weighted_score = (sum(totals) / len(totals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            idea.review_count = len(totals)
        ideas.append(idea)
        plans.append((links, link_costs, served, subject, thing, planned_reviews))
    ideas = Idea.objects.bulk_create(ideas)
    if ideas and ideas[0].pk is None:
        raise CommandError("This database does not return keys from bulk inserts; use PostgreSQL or SQLite 3.35+.")
    _history(ideas, now)

    served_rows, link_rows, outputs, output_departments, events, changes, reviews, review_scores = [], [], [], [], [], [], [], []
    co_owner_rows = []
    Served = Idea.departments.through  # noqa: N806 - a model class
    CoOwner = Idea.co_owners.through  # noqa: N806 - a model class
    for idea, (links, link_costs, served, subject, thing, planned_reviews) in zip(ideas, plans, strict=True):
        served_rows += [Served(idea_id=idea.pk, department_id=pk) for pk in served if pk]
        if rng.random() < 0.1:  # a tenth of ideas have a co-owner
            co_owner = rng.choice(officers)
            if co_owner.pk != idea.owner_id:
                co_owner_rows.append(CoOwner(idea_id=idea.pk, user_id=co_owner.pk))
        link_rows += [IdeaCentralSystem(idea_id=idea.pk, system_id=s.pk, integration_cost=c,
                                        integration_note=f"Exchange {subject} records with {s.name}.")
                      for s, c in zip(links, link_costs, strict=True)]
        for _ in range(rng.choice([0, 1, 1, 2])):
            outputs.append(DataOutput(idea_id=idea.pk, description=rng.choice(OUTPUT_PATTERNS).format(
                subject=subject, thing=thing).capitalize()[:300]))
            output_departments.append(rng.sample(departments, k=rng.choice([1, 2, 3])))
        events.append(IdeaEvent(idea_id=idea.pk, kind=EventKind.CREATED, actor_id=idea.owner_id, at=idea.created_at,
                                summary="Started a draft"))
        if idea.stage_id != draft.pk:
            changes.append(StageChange(idea_id=idea.pk, from_stage_id=draft.pk, to_stage_id=idea.stage_id,
                                       by_id=idea.owner_id, at=idea.submitted_at))
            events.append(IdeaEvent(idea_id=idea.pk, kind=EventKind.MOVED, actor_id=idea.owner_id,
                                    at=idea.stage_entered_at, summary=f"Moved to {idea.stage.name}"))
        for reviewer, scores in planned_reviews:
            reviews.append(Review(
                idea_id=idea.pk, stage=review_stage or idea.stage, reviewer_id=reviewer.pk, assigned_by_id=secretary.pk,
                assigned_at=idea.submitted_at, status=Review.Status.SUBMITTED,
                recommendation=rng.choice(Recommendation.values), comment="Clear case; check integration costs.",
                weighted_score=weighted_total([(score, c.weight) for c, score in scores]),
                submitted_at=idea.stage_entered_at,
            ))
            review_scores.append(scores)
    Served.objects.bulk_create(served_rows, ignore_conflicts=True)
    CoOwner.objects.bulk_create(co_owner_rows, ignore_conflicts=True)
    IdeaCentralSystem.objects.bulk_create(link_rows)
    outputs = DataOutput.objects.bulk_create(outputs)
    Valued = DataOutput.valued_by.through  # noqa: N806 - a model class
    Valued.objects.bulk_create([Valued(dataoutput_id=o.pk, department_id=d.pk)
                                for o, depts in zip(outputs, output_departments, strict=True) for d in depts])
    IdeaEvent.objects.bulk_create(events)
    StageChange.objects.bulk_create(changes)
    reviews = Review.objects.bulk_create(reviews)
    Score.objects.bulk_create([Score(review_id=r.pk, criterion_id=c.pk, score=s, weight=c.weight)
                               for r, scores in zip(reviews, review_scores, strict=True) for c, s in scores])


def _history(ideas: list[Idea], now) -> None:
    """One "created" history record per idea, copied inside the database (simple-history's own bulk
    helper builds a Python object per row, which doubles the seeding time)."""
    history = Idea.history.model
    tracked = {f.column for f in Idea._meta.concrete_fields}
    columns = [f.column for f in history._meta.concrete_fields if f.column in tracked and f.column != "id"]
    quoted = ", ".join(connection.ops.quote_name(c) for c in ["id", *columns])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(history._meta.db_table)} "  # noqa: S608 - names from the models
            f"({quoted}, history_date, history_change_reason, history_type, history_user_id) "
            f"SELECT {quoted}, %s, %s, %s, NULL FROM {connection.ops.quote_name(Idea._meta.db_table)} "
            f"WHERE id IN ({', '.join(['%s'] * len(ideas))})",
            [now, "Bulk seed", "+", *(idea.pk for idea in ideas)],
        )
