"""Overlaps kept for every submitted idea, so pages and exports that show many ideas' overlaps read them in one query.

The drafting panel, the idea page, the review page and the Board paper rank one idea's
overlaps when they are shown (``ideas.overlaps``). The triage view, the overlaps
spreadsheet and the idea export show the overlaps of many ideas at once: they read
these rows, written by ``ideas.overlaps_kept`` (a task after an idea is submitted or
changed, and an hourly job for the rest), and say when they were worked out.

Rows are ranked for every idea that is not a draft, confidential ones included: who may
see each overlapping idea is checked when the rows are read, so a row never shows an
idea its reader may not see, and the reasons never name anything but the two ideas'
own systems, departments and words.
"""

from __future__ import annotations

from django.db import models


class OverlapCheck(models.Model):
    """When an idea's overlaps were last worked out (no row: never yet)."""

    idea = models.OneToOneField("ideas.Idea", on_delete=models.CASCADE, primary_key=True, related_name="overlap_check")
    checked_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Overlaps of {self.idea_id} as of {self.checked_at:%Y-%m-%d %H:%M}"


class KeptOverlap(models.Model):
    """Another idea overlapping ``idea``, its place in the ranking, its score and why (as ``ideas.overlaps`` says)."""

    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="kept_overlaps")
    other = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    reasons = models.JSONField(default=list)

    class Meta:
        ordering = ["idea", "rank"]
        constraints = [models.UniqueConstraint(fields=["idea", "other"], name="kept_overlap_once")]
        indexes = [models.Index(fields=["other"], name="kept_overlap_other")]

    def __str__(self) -> str:
        return f"{self.idea_id} overlaps {self.other_id} ({self.score:.2f})"
