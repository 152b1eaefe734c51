"""Move each idea's free-text resources into notes, nothing lost.

Internal resources become a resource ask with no team yet (its note holds the text);
external resources become one external resource with no name or cost (its note holds the
text). Reversible: going back writes the notes into the free-text fields again.
"""

from django.db import migrations

BATCH = 2000


def forwards(apps, schema_editor):
    Idea = apps.get_model("ideas", "Idea")
    ResourceAsk = apps.get_model("ideas", "ResourceAsk")
    ExternalResource = apps.get_model("ideas", "ExternalResource")
    rows = Idea.objects.exclude(resources_internal="", resources_external="").values_list(
        "pk", "resources_internal", "resources_external")
    asks, externals = [], []
    for pk, internal, external in rows.iterator(chunk_size=BATCH):
        if internal.strip():
            asks.append(ResourceAsk(idea_id=pk, team=None, note=internal))
        if external.strip():
            externals.append(ExternalResource(idea_id=pk, name="", cost=None, note=external))
    ResourceAsk.objects.bulk_create(asks, batch_size=BATCH)
    ExternalResource.objects.bulk_create(externals, batch_size=BATCH)


def backwards(apps, schema_editor):
    Idea = apps.get_model("ideas", "Idea")
    ResourceAsk = apps.get_model("ideas", "ResourceAsk")
    ExternalResource = apps.get_model("ideas", "ExternalResource")
    internal: dict[int, list[str]] = {}
    for ask in ResourceAsk.objects.select_related("team").order_by("pk"):
        text = f"{ask.team.name}: {ask.note}" if ask.team_id else ask.note
        internal.setdefault(ask.idea_id, []).append(text)
    external: dict[int, list[str]] = {}
    for item in ExternalResource.objects.order_by("pk"):
        text = "; ".join(p for p in (item.name, item.note) if p)
        external.setdefault(item.idea_id, []).append(text)
    for pk in set(internal) | set(external):
        Idea.objects.filter(pk=pk).update(resources_internal="\n\n".join(internal.get(pk, [])),
                                          resources_external="\n\n".join(external.get(pk, [])))


class Migration(migrations.Migration):
    dependencies = [("ideas", "0012_resource_asks")]

    operations = [migrations.RunPython(forwards, backwards)]
