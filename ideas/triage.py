"""Overlaps for a set of ideas, and the secretary's triage view that groups incoming ideas by them.

One place for the pages that show overlaps beside decisions: the triage view, the
review page, the Board paper and the overlaps spreadsheet. Every overlap is found by
the one combined lookup (``ideas.overlaps``: words, shared central systems, data
valued by the same departments, departments served), with its score and its reasons,
and the links owners made (``IdeaLink``) are always shown first.

- ``overlaps_of_idea``: one idea (the review page and the Board paper): its kept overlaps, or
  for an idea not worked out yet, ranked when asked (one query on PostgreSQL).
- ``overlaps_by_idea``: many ideas at once (the triage view, the spreadsheet): the kept
  rankings (``ideas.overlaps_kept``, worked out as ideas are submitted or changed), read
  with when each was worked out, in a fixed number of queries whatever the number of ideas.

Who sees what: every overlap is an idea the audience may see, never a draft, so a
confidential idea or someone's draft is never shown nor counted.

- ``user=<a user>``: the ideas that user may see (``permissions.visible_filter``).
- ``user=None``: the Board paper's audience. A paper (HTML and the pack's PDF) is one
  document for every member and may be filed or forwarded beyond the Board, so it names
  only ideas every member of staff may see: submitted and not confidential. (Members do
  read confidential ideas in the service itself, where each page checks who is asking.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.text import capfirst

from harrow_innovation.people.models import User

from . import overlaps_kept, overlaps_page, permissions, permissions_joins
from .models import Idea, IdeaLink, LinkKind, StageKind
from .models_joins import LINK_KIND_REVERSED
from .models_overlaps import OverlapCheck
from .overlaps import overlaps_for_idea

OVERLAP_LIMIT = 5  # found overlaps shown per idea (linked ideas are always shown)
# An overlap's page shows its title and where it is; its long text is left unread.
_LONG_TEXT = ("problem", "solution", "other_benefits", "risks", "future_proofing", "search_text")
# How the reasons name the idea whose overlaps are shown, to a reader who may not own it.
THIS_IDEA = "this idea"


@dataclass
class Overlap:
    """Another idea that overlaps a probe idea, and why."""

    idea: Idea
    score: float | None = None  # the combined score (0 to 1); None for a linked idea the lookup did not rank
    found_reasons: list[str] = field(default_factory=list)
    link_label: str = ""  # the link read from the probe's side: "Duplicate of", "Has a duplicate"

    @property
    def reasons(self) -> list[str]:
        found = []
        if self.link_label:
            found.append(f"Linked: {self.link_label.lower()} {self.idea.reference}")
        found.extend(capfirst(reason) for reason in self.found_reasons)
        return found


@dataclass
class Found:
    """{idea id: its overlaps, linked first then best}; for kept rankings, when each idea's was worked out."""

    by_idea: dict[int, list[Overlap]]
    checked_at: dict[int, datetime] | None = None  # None: ranked when asked

    def get(self, pk: int, default=None):
        return self.by_idea.get(pk, default)

    def __getitem__(self, pk: int) -> list[Overlap]:
        return self.by_idea[pk]

    def __contains__(self, pk: int) -> bool:
        return pk in self.by_idea

    def items(self):
        return self.by_idea.items()

    def unchecked(self, ids: Iterable[int]) -> list[int]:
        """Of ``ids``, those whose overlaps have not been worked out yet (never, for a ranking made when asked)."""
        if self.checked_at is None:
            return []
        return [pk for pk in ids if pk not in self.checked_at]

    def as_of(self, ids: Iterable[int]) -> datetime | None:
        """When the oldest of these ideas' kept overlaps was worked out."""
        if not self.checked_at:
            return None
        times = [self.checked_at[pk] for pk in ids if pk in self.checked_at]
        return min(times) if times else None


def audience_ideas(*, user: User | None) -> QuerySet[Idea]:
    """Ideas an overlap may name: never a draft; for ``user=None``, the Board paper's audience (see above)."""
    if user is None:
        qs = Idea.objects.filter(is_confidential=False)
    else:
        qs = Idea.objects.filter(permissions.visible_filter(user))
    return qs.exclude(stage__kind=StageKind.DRAFT)


def overlaps_of_idea(*, user: User | None, idea: Idea, limit: int = OVERLAP_LIMIT) -> list[Overlap]:
    """``idea``'s overlaps: linked ideas first, then the best ``limit`` (see the module docstring).

    Its kept overlaps when they have been worked out, as the triage view shows them; otherwise ranked
    now. Four queries either way: whether they were worked out, the ranking, links, the ideas.
    """
    if not idea.pk:
        return []
    if OverlapCheck.objects.filter(idea_id=idea.pk).exists():
        kept = overlaps_kept.kept_by_idea(user=user, ids=[idea.pk], limit=limit, with_checks=False)
        ranked = {pk: [(row.other_id, row.score, row.reasons) for row in rows] for pk, rows in kept.rows.items()}
    else:
        audience = permissions.Audience(reads_all=user is not None and permissions.reads_confidential(user))
        found = overlaps_for_idea(user=audience, idea=idea, limit=overlaps_page.RANKED, mine=THIS_IDEA)
        ranked = {idea.pk: [(o.idea_id, o.score, o.reasons) for o in found]}
    return _assemble(user=user, probes=[idea.pk], ranked=ranked, limit=limit).get(idea.pk, [])


def overlaps_by_idea(*, user: User | None, ideas: Iterable[Idea], limit: int = OVERLAP_LIMIT) -> Found:
    """The kept overlaps of each of ``ideas`` (ideas the caller already may show), with when they were worked out.

    Each overlap's ``idea`` has its stage, department and owner joined. Four queries, whatever the number of ideas.
    """
    probes = [idea.pk for idea in ideas if idea.pk]
    if not probes:
        return Found({}, {})
    kept = overlaps_kept.kept_by_idea(user=user, ids=probes, limit=limit)
    ranked = {pk: [(row.other_id, row.score, row.reasons) for row in rows] for pk, rows in kept.rows.items()}
    return Found(_assemble(user=user, probes=probes, ranked=ranked, limit=limit), kept.checked_at)


def _assemble(
    *, user: User | None, probes: list[int], ranked: dict[int, list[tuple[int, float, list[str]]]], limit: int
) -> dict[int, list[Overlap]]:
    """Add the links, keep what the audience may see, and read those ideas (two queries)."""
    links = _links(ids=probes)
    wanted = {other for rows in ranked.values() for other, _, _ in rows} | {
        other for rows in links.values() for other, _ in rows
    }
    if not wanted:
        return {}
    shown = {
        idea.pk: idea
        for idea in audience_ideas(user=user)
        .filter(pk__in=sorted(wanted))
        .select_related("stage", "department", "owner")
        .defer(*_LONG_TEXT)
    }
    found: dict[int, list[Overlap]] = {}
    for probe in probes:
        overlaps: dict[int, Overlap] = {}
        for other, label in links.get(probe, []):
            if other in shown and other != probe:
                overlaps[other] = Overlap(shown[other], link_label=label)
        taken = 0
        for other, score, reasons in ranked.get(probe, []):
            if other not in shown or other == probe or (other not in overlaps and taken >= limit):
                continue
            if other not in overlaps:  # a linked idea is shown anyway: it takes no other idea's place
                taken += 1
                overlaps[other] = Overlap(shown[other])
            overlaps[other].score = score
            overlaps[other].found_reasons = list(reasons)
        if overlaps:
            found[probe] = sorted(overlaps.values(), key=lambda o: (not o.link_label, -(o.score or 0), -o.idea.pk))
    return found


def _links(*, ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """{idea id: [(other idea id, the link read from this idea's side)]}, in one query."""
    wanted = set(ids)
    found: dict[int, list[tuple[int, str]]] = {}
    rows = (
        IdeaLink.objects.filter(Q(from_idea_id__in=ids) | Q(to_idea_id__in=ids))
        .order_by("created_at", "pk")
        .values_list("from_idea_id", "to_idea_id", "kind")
    )
    for from_id, to_id, kind in rows:
        if from_id in wanted:
            found.setdefault(from_id, []).append((to_id, LinkKind(kind).label))
        if to_id in wanted:
            found.setdefault(to_id, []).append((from_id, LINK_KIND_REVERSED[kind]))
    return found


# --- The triage view -------------------------------------------------------------------------


@dataclass
class Action:
    label: str
    url: str
    hidden: str  # read by screen readers after the label


@dataclass
class Row:
    overlap: Overlap
    incoming: bool  # the other idea is also waiting for triage
    actions: list[Action] = field(default_factory=list)


@dataclass
class Entry:
    idea: Idea
    rows: list[Row] = field(default_factory=list)


@dataclass
class Cluster:
    entries: list[Entry]
    further_on: int  # distinct overlapping ideas already past triage

    @property
    def incoming_count(self) -> int:
        return len(self.entries)


@dataclass
class Triage:
    clusters: list[Cluster]
    alone: list[Idea]  # incoming ideas with no overlap found (or not yet worked out: ``unchecked``)
    more: bool  # more ideas wait than are shown
    as_of: datetime | None = None  # when the oldest of these ideas' overlaps was worked out
    unchecked: set[int] = field(default_factory=set)  # ideas whose overlaps are still being worked out


def triage_clusters(*, user: User, incoming: list[Idea], more: bool = False) -> Triage:
    """Group ``incoming`` ideas (longest waiting first) with their overlaps.

    Two incoming ideas that overlap are in one cluster (and so, in turn, are the
    ideas either overlaps); ideas further on in the pipeline are shown under each
    incoming idea they overlap. Quick actions are those the user may take: merging
    (the secretary) and linking (owners), each on its own existing page.
    """
    overlaps = overlaps_by_idea(user=user, ideas=incoming)
    waiting = {idea.pk for idea in incoming}
    parent = {pk: pk for pk in waiting}

    def root(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    for pk, rows in overlaps.items():
        for overlap in rows:
            if overlap.idea.pk in waiting:
                parent[root(overlap.idea.pk)] = root(pk)
    groups: dict[int, list[Idea]] = {}
    for idea in incoming:  # kept in waiting order, so each cluster starts with its longest-waiting idea
        groups.setdefault(root(idea.pk), []).append(idea)
    clusters, alone = [], []
    for members in groups.values():
        if len(members) == 1 and not overlaps.get(members[0].pk):
            alone.append(members[0])
            continue
        entries, further = [], set()
        for idea in members:
            entry = Entry(idea)
            for overlap in overlaps.get(idea.pk, []):
                other = overlap.idea
                row = Row(overlap, incoming=other.pk in waiting)
                if not row.incoming:
                    further.add(other.pk)
                if permissions_joins.can_merge(user, idea) and not permissions_joins.is_closed(other):
                    row.actions.append(
                        Action(
                            f"Merge {idea.reference} into {other.reference}",
                            f"{reverse('ideas:merge', kwargs={'pk': idea.pk})}?into={other.reference}",
                            f" ({idea.title} into {other.title})",
                        )
                    )
                if permissions_joins.can_link(user, idea) and not overlap.link_label:
                    row.actions.append(
                        Action(
                            "Link as a duplicate",
                            f"{reverse('ideas:link_add', kwargs={'pk': idea.pk})}?other={other.reference}",
                            f": {idea.reference} and {other.reference}",
                        )
                    )
                entry.rows.append(row)
            entries.append(entry)
        clusters.append(Cluster(entries, further_on=len(further)))
    ids = [idea.pk for idea in incoming]
    return Triage(
        clusters=clusters, alone=alone, more=more, as_of=overlaps.as_of(ids), unchecked=set(overlaps.unchecked(ids))
    )
