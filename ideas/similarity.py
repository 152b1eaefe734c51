"""Similar ideas: which existing ideas look like a title (and problem) being typed.

Used by ``ideas.selectors.similar_ideas`` for the drafting panel (``/ideas/similar/``,
fetched while an officer types) and the panel on every idea page, so its worst case
must not grow with the number of ideas.

PostgreSQL: one query in two steps.

1. Candidates from postings (``ideas_ideaterm``, kept by the triggers of migration
   0008): the probe is cut into English stems (its title's words, every pair of them,
   and the first words of its problem) by the same SQL function that cut every idea.
   For each term at most ``POSTINGS + 1`` postings are read from the B-tree on
   (term, idea_id), newest first. A word in more than ``POSTINGS`` ideas is common
   ("council", "online", "residents") and carries no weight; the other terms are
   weighted by rarity (log of ideas per posting) and summed per idea. A pair of title
   words counts even when common, through its newest postings, so a title made only of
   common words still finds its near-duplicates ("booking" and "parking" are common,
   ideas with both are few). The ``CANDIDATES`` best ideas go on. So a probe reads at
   most terms x (``POSTINGS`` + 1) index entries however many ideas there are.
2. Ranking, as before: trigram word similarity (pg_trgm) of the title to each
   candidate's text, at least ``THRESHOLD``, best first, only ideas the user may see
   and never drafts.

Elsewhere (SQLite, laptop mode): shared words, each weighted by how rare it is among
the ideas, so words that most ideas share ("council", "residents") count for nothing.
"""

from __future__ import annotations

import math
import re

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

# How many postings a word may have and still count (a word with more is common); one
# more is the most read for any term. Bounds the work per probe whatever the data size.
POSTINGS = 200
# How many candidates, best first by the weight of the terms they share, are ranked.
CANDIDATES = 50
# How many words of a probe's problem are looked up when its title is short (ideas keep 40:
# migration 0008).
PROBE_PROBLEM_WORDS = 12
# Trigram word similarity a candidate needs to be shown (pg_trgm's default is 0.6; lower
# so a short title finds ideas worded a little differently).
THRESHOLD = 0.4
# Longest probe read (the drafting view also cuts the title at 300 characters).
PROBE_TITLE_CHARS = 300
PROBE_PROBLEM_CHARS = 2000

# English words too common in any council's ideas to tell two apart (SQLite only; PostgreSQL
# uses its own stop words and the postings above): grammar, and the words nearly every idea
# of a council uses ("council", "residents", "service"), which the rarity weights below cannot
# tell are common when a laptop's demo holds only a few dozen ideas.
_STOP = frozenset(
    "a an and are as at be but by for from has have in into is it its of on or our so that the their them "
    "then there these they this to too was we were what when which who will with would your about more than "
    "not can also "
    "council councils borough harrow local resident residents people public service services staff team teams "
    "new better improve improving improved using use used help helps support way ways".split()
)
_FALLBACK_CANDIDATES = 200


def probe_text(title: str, problem: str) -> str:
    """What is compared with each idea's text: the title, or the problem when there is no title yet."""
    return (title.strip() or problem.strip())[:PROBE_TITLE_CHARS]


def similar_on_postgresql(qs: QuerySet, *, title: str, problem: str, exclude_id: int | None, limit: int) -> list:
    title, problem = title[:PROBE_TITLE_CHARS], problem[:PROBE_PROBLEM_CHARS]
    probe = probe_text(title, problem)
    # An index scan of the primary key for at most CANDIDATES ids (function of migration 0008).
    # In a subquery so it runs once, when the query runs: called directly, the planner would
    # also run it while planning, to estimate how many rows match.
    # The problem's words help only a short title (as before, a title of three words or more
    # is what is compared); leaving them out then saves a dozen reads on every idea page.
    problem_words = PROBE_PROBLEM_WORDS if len(words(title)) < 3 else 0
    candidates = RawSQL(
        "ideas_idea.id = ANY((SELECT ideas_similar_candidates(%s, %s, %s, %s, %s, %s))::bigint[])",
        [title, problem, problem_words, POSTINGS, exclude_id or 0, CANDIDATES],
        output_field=BooleanField(),
    )
    similarity = RawSQL("word_similarity(%s, ideas_idea.search_text)", [probe])
    # The threshold is applied to the best few here rather than in SQL, where word_similarity
    # (the costly part, about 0.1 ms a candidate) would be computed twice per candidate.
    best = qs.filter(candidates).annotate(similarity=similarity).order_by("-similarity", "-pk")[:limit]
    return [idea for idea in best if idea.similarity >= THRESHOLD]


def words(text: str) -> list[str]:
    """Distinct words worth comparing, in order: lower case, no stop words, no numbers, longer than two letters."""
    seen: dict[str, None] = {}
    for word in re.findall(r"[^\W\d_][\w'-]*", text.lower()):
        word = word.strip("'-")
        if len(word) > 2 and word not in _STOP:
            seen.setdefault(_stem(word), None)
    return list(seen)


def _stem(word: str) -> str:
    # Enough to match "sensors" with "sensor" and "repairs" with "repair" (and still be a
    # substring of both, for the LIKE that finds candidates); not a real stemmer.
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def similar_elsewhere(qs: QuerySet, *, total: int, title: str, problem: str, limit: int) -> list:
    """Shared words weighted by rarity (inverse document frequency over ``total`` ideas).

    A word found in more than a fifth of the ideas (and in more than two) weighs
    nothing, so "council" or "residents" never make two ideas look alike. An idea
    is shown when the rare words it shares weigh at least half the probe's, and are
    two or more when the probe has two or more.
    """
    probe = words(f"{title} {problem}" if not title.strip() else title)[:12]
    if not probe:
        return []
    matches = qs.filter(Q(*[Q(search_text__icontains=w) for w in probe], _connector=Q.OR))[:_FALLBACK_CANDIDATES]
    candidates = [(idea, set(words(idea.search_text))) for idea in matches]
    # Document frequency among the candidates: every idea holding a probe word is one (up to the cap).
    frequency = {w: sum(1 for _, theirs in candidates if w in theirs) for w in probe}
    # A probe word no idea holds is as telling as a word can be: it counts in what is wanted (so sharing
    # only "home" of "predictive maintenance homes" is a third of a match, not all of one).
    weight = {
        w: 0.0 if n > 2 and n * 5 > total else math.log(1 + total / max(n, 1))
        for w, n in frequency.items()
    }
    wanted = sum(weight.values())
    if not wanted:
        return []
    rare = [w for w in probe if weight[w]]
    scored = []
    for idea, theirs in candidates:
        shared = [w for w in rare if w in theirs]
        score = sum(weight[w] for w in shared) / wanted
        if len(shared) >= min(2, len(rare)) and score >= 0.5:
            idea.similarity = score
            # Ties (one rare word shared) go to the idea sharing more of the probe's other words.
            scored.append((score, sum(1 for w in probe if w in theirs), idea.pk, idea))
    scored.sort(key=lambda row: row[:3], reverse=True)
    return [row[3] for row in scored[:limit]]


def uses_postings() -> bool:
    return connection.vendor == "postgresql"
