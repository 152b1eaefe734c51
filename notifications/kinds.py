"""What each kind of notification is, who gets it, and how it is delivered by default.

Kinds marked ``fixed`` cannot be switched off or moved to the digest: people
must hear at once when they are given work, and when that work is overdue.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Channel, Kind


@dataclass(frozen=True)
class KindInfo:
    question: str  # the legend on the preferences page
    hint: str
    default: str
    fixed: bool = False


KINDS: dict[str, KindInfo] = {
    Kind.REVIEW_ASSIGNED: KindInfo(
        "When you are asked to review an idea", "You are one of its reviewers.", Channel.IMMEDIATE, fixed=True
    ),
    Kind.REVIEW_OVERDUE: KindInfo(
        "When a review is overdue",
        "Reviewers are told first; the Board secretary is told if it is still not done a few days later.",
        Channel.IMMEDIATE,
        fixed=True,
    ),
    Kind.STAGE_CHANGED: KindInfo(
        "When an idea you own or follow moves to a new stage", "For example, from triage to business case review.",
        Channel.IMMEDIATE,
    ),
    Kind.COMMENT_ADDED: KindInfo("When someone comments on an idea you own or follow", "", Channel.DIGEST),
    Kind.DECISION_RECORDED: KindInfo("When the Board decides on your idea", "", Channel.IMMEDIATE),
    Kind.REVIEW_SUBMITTED: KindInfo("When a review you asked for is complete", "For the Board secretary.", Channel.DIGEST),
    Kind.IDEA_STALLED: KindInfo(
        "When an idea has been in its stage longer than allowed", "For the idea's owners and the Board secretary.",
        Channel.DIGEST,
    ),
    Kind.PARKED_DATE_REACHED: KindInfo(
        "When a parked idea's date comes", "For the idea's owners and the Board secretary.", Channel.IMMEDIATE
    ),
    Kind.AGENDA_PUBLISHED: KindInfo("When a Board agenda is published", "For Board members.", Channel.IMMEDIATE),
    Kind.PACK_READY: KindInfo("When an agenda pack is ready to read", "For Board members.", Channel.IMMEDIATE),
    Kind.MEETING_SOON: KindInfo("Before a Board meeting", "For Board members.", Channel.IMMEDIATE),
    Kind.IDEA_ON_AGENDA: KindInfo(
        "When your idea is on a published Board agenda", "For its owners and presenter, with the time of its slot.",
        Channel.IMMEDIATE,
    ),
    Kind.ACTION_ASSIGNED: KindInfo(
        "When you are given a Board action", "You own the action.", Channel.IMMEDIATE, fixed=True
    ),
    Kind.ACTION_DUE_SOON: KindInfo("When a Board action you own is due soon", "", Channel.IMMEDIATE),
    Kind.ACTION_OVERDUE: KindInfo("When a Board action you own is overdue", "", Channel.IMMEDIATE),
}

assert set(KINDS) == set(Kind.values), "every Kind needs a KindInfo"


def is_fixed(kind: str) -> bool:
    return KINDS[kind].fixed


def channel_for(kind: str, chosen: str | None) -> str:
    """The channel a notice of ``kind`` takes, given the person's choice (None: no choice made)."""
    info = KINDS[kind]
    if info.fixed:
        return Channel.IMMEDIATE
    return chosen or info.default
