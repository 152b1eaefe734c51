"""The export's data columns: each idea's data outputs (and who values them) and the data it depends on.

Three queries per chunk of ideas, whatever its size. A dependency on an idea the person may not see is
left out, as on the pages.
"""

from __future__ import annotations

from harrow_innovation.people.models import User
from ideas.models import DataDependency, DataOutput
from ideas.selectors import visible_ideas

HEADER = ["Data outputs (valued by)", "Depends on data from"]


def data_cells(user: User, ids: list[int]) -> dict[int, list[str]]:
    """For each idea id: [its data outputs with the departments that value them, the data it depends on]."""
    valued: dict[int, list[str]] = {}
    through = DataOutput.valued_by.through
    for output_id, name in (through.objects.filter(dataoutput__idea_id__in=ids)
                            .order_by("department__name").values_list("dataoutput_id", "department__name")):
        valued.setdefault(output_id, []).append(name)
    outputs: dict[int, list[str]] = {}
    for idea_id, pk, description in DataOutput.objects.filter(idea_id__in=ids).order_by("pk").values_list(
        "idea_id", "pk", "description"
    ):
        names = valued.get(pk)
        outputs.setdefault(idea_id, []).append(f"{description} ({', '.join(names)})" if names else description)
    needs: dict[int, list[str]] = {}
    for idea_id, source_id, description, need in (
        DataDependency.objects.filter(idea_id__in=ids, output__idea__in=visible_ideas(user=user).values("pk"))
        .order_by("output__idea_id", "pk").values_list("idea_id", "output__idea_id", "output__description", "need")
    ):
        needs.setdefault(idea_id, []).append(f"IDEA-{source_id:05d}: {description} (needs: {need})")
    return {pk: ["; ".join(outputs.get(pk, [])), "; ".join(needs.get(pk, []))] for pk in ids}
