"""Indexes for browsing at scale (raw SQL so the model state, and makemigrations, are unchanged).

- One per sort order of the idea list (newest/oldest, highest score, recently
  submitted, title), each ending in the primary key as the list's order does,
  so a page of 25 is read from the index instead of sorting every idea.
- A GiST trigram index so similar ideas are found nearest first.
- A covering index for counting the ideas a user may see: the visibility rules
  read only the stage, the confidential flag and the owner, so PostgreSQL counts
  20,000 ideas from the index alone (an index-only scan).
"""

from django.db import migrations

INDEXES = {
    "idea_created_id": "ideas_idea (created_at DESC, id DESC)",
    "idea_score_id": "ideas_idea (weighted_score DESC NULLS LAST, id DESC)",
    "idea_submitted_id": "ideas_idea (submitted_at DESC NULLS LAST, id DESC)",
    "idea_title_id": "ideas_idea (title, id)",
    "idea_visibility": "ideas_idea (stage_id, is_confidential, owner_id) INCLUDE (id)",
    # Nearest-neighbour search for similar ideas (ideas.selectors.similar_ideas). A long signature
    # because search_text holds a title, a problem and a solution, not a few words.
    "idea_search_trgm_gist": "ideas_idea USING gist (search_text gist_trgm_ops(siglen=256))",
}
# SQLite (laptop mode) has neither NULLS LAST in indexes (it already sorts NULL last when
# descending) nor INCLUDE.
SQLITE = {
    **INDEXES,
    "idea_score_id": "ideas_idea (weighted_score DESC, id DESC)",
    "idea_submitted_id": "ideas_idea (submitted_at DESC, id DESC)",
    "idea_visibility": "ideas_idea (stage_id, is_confidential, owner_id, id)",
}
del SQLITE["idea_search_trgm_gist"]


def forwards(apps, schema_editor):
    indexes = INDEXES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for name, definition in indexes.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def backwards(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("ideas", "0002_search_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
