"""Words council officers use for the same thing, so overlaps are found when two teams name it differently.

"Falls sensors" and "telecare fall detectors", "chatbot" and "webchat", "arrears" and
"debt". Each group is a set of interchangeable words or phrases in everyday council
use (written from service vocabulary, not from any one pair of ideas). A probe's words
are expanded with the rest of their group: on PostgreSQL the extra words count as
found when an idea uses them, but do not add to what the probe is measured against,
so an expansion can only help a real match (ideas.overlaps_sql, ideas.overlaps_fallback).
"""

from __future__ import annotations

import re

from .similarity import _stem

GROUPS = [
    "sensor sensors detector detectors monitor monitors monitoring alarm alarms",
    "telecare careline lifeline pendant",
    "fall falls fallen falling",
    "bin bins litter rubbish refuse",
    "chatbot chatbots webchat chat virtual-assistant",
    "arrears debt debts owed",
    "mould mold damp condensation humidity",
    "medication medicine medicines pill pills dose doses",
    "homeless homelessness temporary-accommodation emergency-housing",
    "noise noisy loud disturbance nuisance",
    "antisocial anti-social asb nuisance",
    "referral referrals concern concerns",
    "booking bookings book appointment appointments reservation",
    "pothole potholes road-defect",
    "warm heated heating",
    "parking bay bays space spaces",
    "vacancy vacancies capacity beds",
    "absence absent attendance truancy",
    "fraud subletting",
    "volunteer volunteers volunteering friends-group",
    "flood flooding drainage gully gullies",
    "carer carers caring",
    "fostering foster",
    "lighting light lights lamp lamps",
]

_MEMBERS: dict[str, set[str]] = {}
for _group in GROUPS:
    words = {w.replace("-", " ") for w in _group.split()}
    for _word in words:
        _MEMBERS.setdefault(_word, set()).update(words - {_word})

MOST = 12  # extra words a probe may gain


_PHRASES = sorted(member for member in _MEMBERS if " " in member)


def _spaced(text: str) -> str:
    """``text`` in lower case, words separated by single spaces (hyphens too: "anti-social" is "anti social")."""
    return " " + " ".join(re.findall(r"[a-z][a-z']*", text.lower())) + " "


def expansions(text: str) -> str:
    """Words of the same meaning as those in ``text`` that ``text`` does not use, space-separated (at most MOST).

    A phrase of a group ("temporary accommodation", "anti-social") is looked up as well as single words.
    """
    spaced = _spaced(text)
    used = set(spaced.split()) | {phrase for phrase in _PHRASES if f" {phrase} " in spaced}
    extra: list[str] = []
    for word in sorted(used):
        for other in sorted(_MEMBERS.get(word, ())):
            if other not in used and other not in spaced and other not in extra:
                extra.append(other)
    return " ".join(extra[:MOST])


def same_meaning(mine: str, theirs: str, *, most: int = 2) -> list[tuple[str, str]]:
    """(word in ``mine``, word in ``theirs``) pairs of the same group that are different words, for a reason."""
    my_words = re.findall(r"[a-z][a-z'-]*", mine.lower())
    their_words = re.findall(r"[a-z][a-z'-]*", theirs.lower())
    pairs: list[tuple[str, str]] = []
    for word in dict.fromkeys(my_words):
        group = _MEMBERS.get(word, set())
        match = next((w for w in their_words if w in group and w not in my_words and _stem(w) != _stem(word)), None)
        if match and not any(match == b for _, b in pairs):
            pairs.append((word, match))
    return pairs[:most]
