"""Overlaps for a set of ideas, and the secretary's triage view that groups incoming ideas by them.

``overlaps_by_idea`` is the one place the triage view, the review page and the Board paper
ask "which ideas overlap these?". Today it uses the similar-ideas lookup
(``ideas.similarity``: postings and trigrams on PostgreSQL, rare shared words elsewhere)
and the links owners made (``IdeaLink``); the richer overlap finder (shared systems,
data, departments) replaces the similarity part here, and nowhere else.

Who sees what: every overlap is an idea the audience may see, never a draft, so a
confidential idea or someone's draft is never shown nor counted.

- ``user=<a user>``: the ideas that user may see (``permissions.visible_filter``).
- ``user=None``: the Board paper's audience. A paper (HTML and the pack's PDF) is one
  document for every member and may be filed or forwarded beyond the Board, so it names
  only ideas every member of staff may see: submitted and not confidential. (Members do
  read confidential ideas in the service itself, where each page checks who is asking.)

Cost, whatever the number of ideas: on PostgreSQL three queries for any number of probe
ideas (similar candidates for all of them in one, links, then the overlapping ideas
themselves); the SQLite fallback (laptop mode) asks once per probe.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse

from harrow_innovation.people.models import User

from . import permissions, permissions_joins, similarity
from .models import Idea, IdeaLink, LinkKind, StageKind
from .models_joins import LINK_KIND_REVERSED

OVERLAP_LIMIT = 5  # similar ideas shown per idea (linked ideas are always shown)
SHARED_WORDS_SHOWN = 4
# Similar candidates read per idea, best first: a few times more than are shown, for those the audience may not
# see (a probe whose best candidates are mostly hidden from the audience shows fewer).
READ_FACTOR = 3
# An overlap's page shows its title and where it is; its long text is left unread.
_LONG_TEXT = ("problem", "solution", "other_benefits", "risks", "future_proofing", "search_text")


@dataclass
class Overlap:
    """Another idea that overlaps a probe idea, and why."""

    idea: Idea
    similarity: float | None = None
    shared_words: list[str] = field(default_factory=list)
    link_label: str = ""  # the link read from the probe's side: "Duplicate of", "Has a duplicate"

    @property
    def reasons(self) -> list[str]:
        found = []
        if self.link_label:
            found.append(f"Linked by its owners: {self.link_label.lower()} {self.idea.reference}")
        if self.similarity is not None:
            if self.shared_words:
                found.append("Similar wording: " + ", ".join(f"“{w}”" for w in self.shared_words))
            else:
                found.append("Similar wording in its title and problem")
        return found


def audience_ideas(*, user: User | None) -> QuerySet[Idea]:
    """Ideas an overlap may name: never a draft; for ``user=None``, the Board paper's audience (see above)."""
    if user is None:
        qs = Idea.objects.filter(is_confidential=False)
    else:
        qs = Idea.objects.filter(permissions.visible_filter(user))
    return qs.exclude(stage__kind=StageKind.DRAFT)


def overlaps_by_idea(
    *, user: User | None, ideas: Iterable[Idea], limit: int = OVERLAP_LIMIT
) -> dict[int, list[Overlap]]:
    """{idea id: overlapping ideas, linked first then most similar} for each of ``ideas``.

    ``ideas`` are ideas the caller already may show (each needs ``pk``, ``title`` and
    ``problem``). Each overlap's ``idea`` has its stage, department and owner joined.
    """
    probes = [idea for idea in ideas if idea.pk]
    if not probes:
        return {}
    similar = _similar(user=user, probes=probes, limit=limit)
    links = _links(ids=[p.pk for p in probes])
    wanted = {other for rows in similar.values() for other, _ in rows} | {
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
        for other, label in links.get(probe.pk, []):
            if other in shown:
                overlaps[other] = Overlap(shown[other], link_label=label)
        taken = 0
        for other, score in similar.get(probe.pk, []):
            if other not in shown or (other not in overlaps and taken >= limit):
                continue
            if other not in overlaps:  # a linked idea is shown anyway: it takes no similar idea's place
                taken += 1
                overlaps[other] = Overlap(shown[other])
            overlap = overlaps[other]
            overlap.similarity = score
            overlap.shared_words = _shared_words(probe.title, shown[other].title)
        if overlaps:
            found[probe.pk] = sorted(
                overlaps.values(), key=lambda o: (not o.link_label, -(o.similarity or 0), -o.idea.pk)
            )
    return found


def _shared_words(title: str, other_title: str) -> list[str]:
    """The words of ``title`` (as written) that ``other_title`` shares, by the lookup's own stems and stop words."""
    theirs = set(similarity.words(other_title))
    shared: list[str] = []
    for word in title.lower().split():
        stems = similarity.words(word)
        word = word.strip(".,;:!?()“”\"'")
        if stems and stems[0] in theirs and word not in shared:
            shared.append(word)
    return shared[:SHARED_WORDS_SHOWN]


# The candidates of every probe (``ideas_similar_candidates``, migration 0008: bounded postings reads
# per probe), each scored by trigram word similarity as ``similarity.similar_on_postgresql`` does, in one
# query. Drafts are left out here; who may see each candidate is checked when the ideas are read.
_SIMILAR_SQL = """
WITH probes AS MATERIALIZED (
    SELECT * FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::integer[], %s::text[])
        AS p(probe_id, title, problem, problem_words, probe)
), candidates AS MATERIALIZED (
    SELECT p.probe_id, p.probe, c.idea_id FROM probes p
    CROSS JOIN LATERAL unnest(ideas_similar_candidates(p.title, p.problem, p.problem_words, %s, p.probe_id, %s))
        AS c(idea_id)
), scored AS MATERIALIZED (
    SELECT c.probe_id, i.id, word_similarity(c.probe, i.search_text) AS similarity
    FROM candidates c JOIN ideas_idea i ON i.id = c.idea_id JOIN ideas_stage s ON s.id = i.stage_id
    WHERE s.kind <> %s
)
SELECT probe_id, id, similarity FROM (
    SELECT probe_id, id, similarity,
           row_number() OVER (PARTITION BY probe_id ORDER BY similarity DESC, id DESC) AS place
    FROM scored WHERE similarity >= %s
) AS best
WHERE place <= %s
ORDER BY probe_id, similarity DESC, id DESC
"""


def _similar(*, user: User | None, probes: list[Idea], limit: int) -> dict[int, list[tuple[int, float]]]:
    """{probe id: [(idea id, similarity)], best first}, before the audience's visibility is applied."""
    if similarity.uses_postings():
        return _similar_on_postgresql(probes, limit=limit)
    found = {}
    total = Idea.objects.count()
    for probe in probes:
        qs = audience_ideas(user=user).exclude(pk=probe.pk)
        rows = similarity.similar_elsewhere(
            qs, total=total, title=probe.title, problem=probe.problem or "", limit=limit
        )
        found[probe.pk] = [(idea.pk, idea.similarity) for idea in rows]
    return found


def _similar_on_postgresql(probes: list[Idea], *, limit: int) -> dict[int, list[tuple[int, float]]]:
    ids, titles, problems, problem_words, texts = [], [], [], [], []
    for probe in probes:
        title = probe.title[: similarity.PROBE_TITLE_CHARS]
        problem = (probe.problem or "")[: similarity.PROBE_PROBLEM_CHARS]
        if len(f"{title} {problem}".strip()) < 4:
            continue
        ids.append(probe.pk)
        titles.append(title)
        problems.append(problem)
        # As similar_on_postgresql: the problem's words help only a short title.
        problem_words.append(similarity.PROBE_PROBLEM_WORDS if len(similarity.words(title)) < 3 else 0)
        texts.append(similarity.probe_text(title, problem))
    if not ids:
        return {}
    params = [
        ids,
        titles,
        problems,
        problem_words,
        texts,
        similarity.POSTINGS,
        similarity.CANDIDATES,
        StageKind.DRAFT.value,
        similarity.THRESHOLD,
        READ_FACTOR * limit,
    ]
    found: dict[int, list[tuple[int, float]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_SIMILAR_SQL, params)
        for probe_id, idea_id, score in cursor.fetchall():
            found.setdefault(probe_id, []).append((idea_id, score))
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
    alone: list[Idea]  # incoming ideas with no overlap found
    more: bool  # more ideas wait than are shown


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
    return Triage(clusters=clusters, alone=alone, more=more)
