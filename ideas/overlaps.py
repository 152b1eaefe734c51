"""Overlaps that explain themselves: which ideas overlap with an idea, or with a draft being typed, and why.

One selector for the drafting panel (``/ideas/similar/``, fetched while an officer
types), the task list, the idea page and the API. Four kinds of evidence, weighed
into one score between 0 and 1 (``WEIGHTS``):

(a) text: the words of the title (and of the problem while the title is short),
    found through the bounded postings of ``ideas.similarity`` and ranked by
    trigram word similarity (pg_trgm) blended with the share of the probe's words
    an idea holds, weighted by rarity (``RARITY_SAY``); elsewhere than PostgreSQL, shared words
    weighted by rarity, so "council" or "residents" count for nothing;
(b) the same central systems;
(c) data outputs valued by the same departments, or data described in the same words;
(d) the same departments served, or a service area described in the same words.

Each kind gives a share between 0 and 1 (of the probe's systems, departments,
words); the score is their weighted sum, and an idea is shown from ``MIN_SCORE``
with a reason for every kind that counted ("both integrate with Social care case
management"). Only ideas the viewer may see, never drafts: a confidential idea or
someone else's draft never reaches the panel, so it cannot even be counted.

Cost: one query on PostgreSQL (``ideas.overlaps_sql``), whatever the data size:
candidates are at most ``TEXT_CANDIDATES`` from the text postings plus
``FACET_CANDIDATES`` from the newest ``FACET_POSTINGS`` ideas of each system or
department, read from B-trees (migration 0015). Elsewhere a fixed handful
(``ideas.overlaps_fallback``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection
from django.urls import reverse

from . import overlap_words, similarity

if TYPE_CHECKING:
    from harrow_innovation.people.models import User

    from .models import Idea

# How much each kind of evidence weighs in the score (they add up to 1).
WEIGHTS = {"text": 0.5, "systems": 0.2, "data": 0.15, "area": 0.15}
# The least score shown: text alone must be fairly close (0.3), and one shared common system
# alone is not an overlap, since most ideas touch a few common systems.
MIN_SCORE = 0.15
# How far the rarity-weighted share of the probe's words an idea holds replaces trigram word similarity (fuzzy, and
# blind to how common a word is) in the text share, when every word of the probe's title is rare enough to weigh;
# less when fewer are (none with a handful of ideas, where every shared word is common).
RARITY_SAY = 0.5
# Text similarity from which the text is given as a reason.
TEXT_REASON = 0.15
TEXT_CANDIDATES = 30
FACET_POSTINGS = 100
FACET_CANDIDATES = 25
# Uses of a system or department counted, at most, to judge how telling it is (a B-tree read of this many rows).
FACET_COUNT = 1000
# A word of the probe's title still weighs something (a little) in up to this many ideas; a word of its
# problem is common from ideas.similarity.POSTINGS. At most this many postings are read per title word.
TITLE_POSTINGS = 1000
# How much of a probe's problem is weighed word by word (about 50 words: a bound on the postings read).
PROBLEM_HEAD_CHARS = 300
# Words of a probe's problem that find candidates (besides its title's words and pairs of them).
PROBLEM_WORDS = 12
# Words that say nothing about what data or service is meant.
DATA_STOP = frozenset(
    "data information info record records report reports reporting number numbers detail details list lists "
    "count counts level levels rate rates figure figures time times date dates new use used using per each "
    "service services council residents resident staff".split()
)


@dataclass
class Overlap:
    """Another idea that overlaps, with why, and who to talk to."""

    idea_id: int
    title: str
    stage_name: str
    department_name: str
    owner_name: str
    owner_email: str
    owner_department: str
    is_mine: bool
    score: float
    text_similarity: float = 0.0
    systems: list[str] = field(default_factory=list)
    data_valued_by: list[str] = field(default_factory=list)
    data_description: str = ""
    departments_served: list[str] = field(default_factory=list)
    services: str = ""
    reasons: list[str] = field(default_factory=list)

    @property
    def reference(self) -> str:
        return f"IDEA-{self.idea_id:05d}"

    @property
    def pk(self) -> int:
        return self.idea_id

    def get_absolute_url(self) -> str:
        return reverse("ideas:detail", kwargs={"pk": self.idea_id})


@dataclass
class Probe:
    """What is compared: a draft's words and choices, or an idea (``idea_id``) whose saved choices are added."""

    title: str = ""
    problem: str = ""
    system_ids: tuple[int, ...] = ()
    department_ids: tuple[int, ...] = ()
    data_department_ids: tuple[int, ...] = ()
    data_text: str = ""
    services: str = ""
    idea_id: int | None = None

    @property
    def empty(self) -> bool:
        has_words = len(f"{self.title} {self.problem}".strip()) >= 4
        return not (has_words or self.system_ids or self.department_ids or self.data_department_ids or self.idea_id)


def overlaps_for_idea(*, user: User, idea: Idea, limit: int = 5, mine: str = "yours") -> list[Overlap]:
    """Ideas the user may see that overlap with ``idea`` (its saved systems, data and departments included), best first.

    ``mine`` names the idea in its reasons ("“sensors” in yours, “detectors” in theirs"): "yours" for its owners,
    "this idea" where the reader may be anyone (the triage view, the review page, the Board paper).
    """
    probe = Probe(title=idea.title, problem=idea.problem, services=idea.services, idea_id=idea.pk)
    return _find(user=user, probe=probe, limit=limit, mine=mine)


def overlaps_for_draft(
    *,
    user: User,
    title: str,
    problem: str = "",
    system_ids: tuple[int, ...] | list[int] = (),
    department_ids: tuple[int, ...] | list[int] = (),
    data_department_ids: tuple[int, ...] | list[int] = (),
    data_text: str = "",
    services: str = "",
    draft_id: int | None = None,
    limit: int = 5,
) -> list[Overlap]:
    """Ideas the user may see that overlap with words being typed and the choices made so far, best first.

    ``draft_id``, when given, must be an idea the caller has checked the user may see:
    it is left out, and its saved systems, departments and data are added to the probe.
    """
    probe = Probe(
        title=title[: similarity.PROBE_TITLE_CHARS],
        problem=problem[: similarity.PROBE_PROBLEM_CHARS],
        system_ids=tuple(sorted(set(system_ids)))[:20],
        department_ids=tuple(sorted(set(department_ids)))[:20],
        data_department_ids=tuple(sorted(set(data_department_ids)))[:20],
        data_text=data_text[:2000],
        services=services[:300],
        idea_id=draft_id,
    )
    return _find(user=user, probe=probe, limit=limit)


def _find(*, user: User, probe: Probe, limit: int, mine: str = "yours") -> list[Overlap]:
    if probe.empty or not user.is_authenticated:
        return []
    found, probe_words = _backend()(user=user, probe=probe, limit=limit)
    for overlap in found:
        overlap.reasons = reasons(overlap, probe=probe, probe_data=probe_words, mine=mine)
    return found


def _backend():
    """PostgreSQL's one query, or the laptop-mode fallback."""
    if connection.vendor == "postgresql":
        from .overlaps_sql import find_on_postgresql

        return find_on_postgresql
    from .overlaps_fallback import find_elsewhere

    return find_elsewhere


def combined_score(*, text: float, systems: float, data: float, area: float) -> float:
    """The one score: each share (0 to 1) times its weight. The SQL of ``ideas.overlaps_sql`` computes the same."""
    return WEIGHTS["text"] * text + WEIGHTS["systems"] * systems + WEIGHTS["data"] * data + WEIGHTS["area"] * area


# --- Reasons -------------------------------------------------------------------------------


def _display_words(text: str) -> list[tuple[str, str]]:
    """(stem, word as written) for the words of ``text`` worth naming, in order, once each."""
    seen: dict[str, str] = {}
    for word in re.findall(r"[^\W\d_][\w'-]*", text):
        clean = word.strip("'-")
        lower = clean.lower()
        if len(lower) > 2 and lower not in similarity._STOP and lower not in DATA_STOP:
            seen.setdefault(_stem(lower), clean.lower())
    return list(seen.items())


def _stem(word: str) -> str:
    # A little more than ideas.similarity._stem, for naming shared words ("falls"/"fall", "sensors"/"sensor").
    for ending in ("ies", "ing", "ers", "es", "s"):
        if len(word) > len(ending) + 3 and word.endswith(ending) and not word.endswith("ss"):
            return word[: -len(ending)] + ("y" if ending == "ies" else "")
    return word


def shared_words(mine: str, theirs: str, *, most: int = 3) -> list[str]:
    """Words of ``mine`` (as written there) that ``theirs`` also uses, for a reason."""
    their_stems = {stem for stem, _ in _display_words(theirs)}
    return [word for stem, word in _display_words(mine) if stem in their_stems][:most]


def _and(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def reasons(overlap: Overlap, *, probe: Probe, probe_data: str = "", mine: str = "yours") -> list[str]:
    """Why ``overlap`` was found, in plain words, strongest evidence first (``mine``: what the probe is called)."""
    said = []
    if overlap.text_similarity >= TEXT_REASON:
        written = f"{probe.title} {probe.problem}"
        words = shared_words(written, overlap.title)
        if words:
            said.append(f"both mention {_and(words)}")
        same = overlap_words.same_meaning(written, overlap.title)
        if same:
            said.append("; ".join(f"“{a}” in {mine}, “{b}” in theirs" for a, b in same))
        if not words and not same:
            said.append("similar wording")
    if overlap.systems:
        said.append(f"both integrate with {_and(overlap.systems)}")
    data_words = shared_words(probe_data, overlap.data_description) if overlap.data_description else []
    if overlap.data_valued_by:
        what = f"{_and(data_words)} data" if data_words else "data"
        said.append(f"both produce {what} valued by {_and(overlap.data_valued_by)}")
    elif data_words:
        said.append(f"both produce {_and(data_words)} data (theirs: “{overlap.data_description}”)")
    if overlap.departments_served:
        said.append(f"both serve {_and(overlap.departments_served)}")
    service_words = shared_words(probe.services or "", overlap.services) if overlap.services else []
    if service_words:
        said.append(f"similar service area (theirs: “{overlap.services}”)")
    return said or ["similar wording"]
