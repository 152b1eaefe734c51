"""Work out the kept overlaps (ideas.overlaps_kept) now: after an upgrade, or after loading many ideas at once.

The hourly job does the same a batch at a time; this does them all, saying how far it has got.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ideas import overlaps_kept
from ideas.models import Idea, StageKind


class Command(BaseCommand):
    help = "Work out the overlaps of ideas never checked or checked too long ago (--all: every submitted idea)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Every submitted idea, however recently checked.")

    def handle(self, *args, **options):
        if options["all"]:
            ids = list(Idea.objects.exclude(stage__kind=StageKind.DRAFT).order_by("-pk").values_list("pk", flat=True))
        else:
            ids = overlaps_kept.stale_ids(limit=10**9)
        total = len(ids)
        for done, pk in enumerate(ids, start=1):
            overlaps_kept.refresh(pk, tell_others=False)
            if done % 500 == 0 or done == total:
                self.stdout.write(f"Overlaps worked out for {done:,} of {total:,} ideas")
        if not total:
            self.stdout.write("Every submitted idea's overlaps are up to date.")
