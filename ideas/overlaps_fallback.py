"""The overlaps lookup elsewhere than PostgreSQL (SQLite, laptop mode): the same evidence and score, in Python.

Text: the probe's words (no stop words), each weighted by how rare it is among the
ideas holding any of them (inverse document frequency over all ideas), so a word in
more than a fifth of the ideas ("council", "residents") weighs nothing; the text
share is the weight of the shared words over the weight of the probe's words. The
other kinds as on PostgreSQL. A fixed number of queries: candidates by words, by
facets, then the candidates with their rows in four prefetches.
"""

from __future__ import annotations

import math

from django.db.models import Count, Prefetch, Q

from . import overlap_words, permissions, similarity
from . import overlaps as tuning
from .models import DataOutput, Idea, IdeaCentralSystem, StageKind
from .overlaps import Overlap, Probe, _display_words, combined_score

_WORD_CANDIDATES = 400


def _stems(text: str) -> set[str]:
    return {stem for stem, _ in _display_words(text)}


def _probe_facts(probe: Probe) -> tuple[set[int], set[int], set[int], str]:
    systems, served, valued = set(probe.system_ids), set(probe.department_ids), set(probe.data_department_ids)
    data_text = probe.data_text
    if probe.idea_id:
        systems |= set(IdeaCentralSystem.objects.filter(idea_id=probe.idea_id).values_list("system_id", flat=True))
        served |= set(
            Idea.departments.through.objects.filter(idea_id=probe.idea_id).values_list("department_id", flat=True)
        )
        outputs = list(DataOutput.objects.filter(idea_id=probe.idea_id).prefetch_related("valued_by"))
        valued |= {d.pk for o in outputs for d in o.valued_by.all()}
        data_text = " ".join([data_text, *(o.description for o in outputs)]).strip()
    return systems, served, valued, data_text


def _text_scores(base, *, title: str, problem: str, total: int) -> dict[int, float]:
    probe = similarity.words(f"{title} {problem}")[:40]
    extra = [w for w in similarity.words(overlap_words.expansions(f"{title} {problem}")) if w not in probe]
    if not probe:
        return {}
    asked = probe + extra
    rows = list(
        base.filter(Q(*[Q(search_text__icontains=w) for w in asked], _connector=Q.OR))
        .order_by("-pk")
        .values_list("pk", "search_text")[:_WORD_CANDIDATES]
    )
    held = [(pk, set(similarity.words(text))) for pk, text in rows]
    frequency = {w: sum(1 for _, theirs in held if w in theirs) for w in asked}
    weight = {w: 0.0 if n == 0 or (n > 2 and n * 5 > total) else math.log(1 + total / n) for w, n in frequency.items()}
    wanted = sum(weight[w] for w in probe)
    if not wanted:
        return {}
    scores = {}
    for pk, theirs in held:
        shared = [w for w in asked if weight[w] and w in theirs]
        if shared:
            scores[pk] = min(1.0, sum(weight[w] for w in shared) / wanted)
    best = sorted(scores.items(), key=lambda item: (item[1], item[0]), reverse=True)[: tuning.TEXT_CANDIDATES]
    return dict(best)


def _specificity(total: int, uses: dict[int, int], ids: set[int]) -> dict[int, float]:
    """As on PostgreSQL: log(1 + ideas / uses) / log(1 + ideas), 1 for a system or department used once."""
    top = math.log(1 + total)
    return {pk: math.log(1 + total / max(uses.get(pk, 0), 1)) / top for pk in ids}


def find_elsewhere(*, user, probe: Probe, limit: int) -> tuple[list[Overlap], str]:
    systems, served, valued, data_text = _probe_facts(probe)
    base = Idea.objects.filter(permissions.visible_filter(user)).exclude(stage__kind=StageKind.DRAFT)
    if probe.idea_id:
        base = base.exclude(pk=probe.idea_id)
    total = max(Idea.objects.count(), 1)
    text = _text_scores(base, title=probe.title, problem=probe.problem, total=total)
    through = Idea.departments.through
    spec_systems = _specificity(total, _uses(IdeaCentralSystem.objects, "system_id", systems), systems)
    spec_served = _specificity(total, _uses(through.objects, "department_id", served), served)
    spec_valued = _specificity(total, _uses(DataOutput.valued_by.through.objects, "department_id", valued), valued)
    hits: dict[int, int] = {}
    for ids in (
        IdeaCentralSystem.objects.filter(system_id__in=systems).order_by("-idea_id").values_list("idea_id", flat=True),
        Idea.departments.through.objects.filter(department_id__in=served)
        .order_by("-idea_id")
        .values_list("idea_id", flat=True),
        DataOutput.objects.filter(valued_by__in=valued).order_by("-pk").values_list("idea_id", flat=True),
    ):
        for pk in ids[: tuning.FACET_POSTINGS * 3]:
            hits[pk] = hits.get(pk, 0) + 1
    hits.pop(probe.idea_id or 0, None)
    facet_best = [
        pk
        for pk, _ in sorted(hits.items(), key=lambda item: (item[1], item[0]), reverse=True)[: tuning.FACET_CANDIDATES]
    ]
    candidates = (
        base.filter(pk__in=set(text) | set(facet_best))
        .select_related("stage", "department", "owner__department")
        .prefetch_related(
            "co_owners",
            "departments",
            Prefetch("system_links", queryset=IdeaCentralSystem.objects.select_related("system")),
            Prefetch("data_outputs", queryset=DataOutput.objects.prefetch_related("valued_by")),
        )
    )
    data_stems = _stems(data_text) - tuning.DATA_STOP
    service_stems = _stems(probe.services)
    found = []
    for idea in candidates:
        shared_systems = sorted(link.system.name for link in idea.system_links.all() if link.system_id in systems)
        system_weight = sum(
            spec_systems[link.system_id] for link in idea.system_links.all() if link.system_id in systems
        )
        shared_served = sorted(d.name for d in idea.departments.all() if d.pk in served)
        served_weight = sum(spec_served[d.pk] for d in idea.departments.all() if d.pk in served)
        outputs = list(idea.data_outputs.all())
        valued_ids = {d.pk for o in outputs for d in o.valued_by.all() if d.pk in valued}
        shared_valued = sorted({d.name for o in outputs for d in o.valued_by.all() if d.pk in valued})
        valued_weight = sum(spec_valued[pk] for pk in valued_ids)
        best_output, best_shared, data_share = "", 0, 0.0
        if data_stems:
            their = set()
            for output in outputs:
                stems = _stems(output.description)
                their |= stems
                if len(stems & data_stems) > best_shared:
                    best_output, best_shared = output.description, len(stems & data_stems)
            data_share = len(their & data_stems) / len(data_stems)
        services_share = len(_stems(idea.services) & service_stems) / len(service_stems) if service_stems else 0.0
        score = combined_score(
            text=text.get(idea.pk, 0.0),
            systems=system_weight / len(systems) if systems else 0.0,
            data=max(valued_weight / len(valued) if valued else 0.0, data_share),
            area=max(served_weight / len(served) if served else 0.0, services_share),
        )
        if score < tuning.MIN_SCORE:
            continue
        owner = idea.owner
        found.append(
            Overlap(
                idea_id=idea.pk,
                title=idea.title,
                stage_name=idea.stage.name,
                department_name=idea.department.name if idea.department else "",
                owner_name=owner.full_name,
                owner_email=owner.email,
                owner_department=owner.department.name if owner.department else "",
                is_mine=permissions.is_owner(user, idea),
                score=round(score, 3),
                text_similarity=text.get(idea.pk, 0.0),
                systems=shared_systems,
                data_valued_by=shared_valued,
                data_description=best_output,
                departments_served=shared_served,
                services=idea.services,
            )
        )
    found.sort(key=lambda o: (o.score, o.idea_id), reverse=True)
    return found[:limit], data_text


def _uses(rows, column: str, ids) -> dict[int, int]:
    """{id: how many rows of ``rows`` name it in ``column``} for ``ids`` (one query)."""
    return dict(
        rows.filter(**{f"{column}__in": ids}).values(column).annotate(n=Count("id")).values_list(column, "n")
    )
