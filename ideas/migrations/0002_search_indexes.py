"""PostgreSQL only: full-text and trigram indexes for search and similar ideas.

SQLite (laptop mode) has neither; ideas.selectors falls back to simpler matching there.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS idea_search_fts ON ideas_idea USING gin (to_tsvector('english', search_text))"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS idea_search_trgm ON ideas_idea USING gin (search_text gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS idea_search_fts")
    schema_editor.execute("DROP INDEX IF EXISTS idea_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("ideas", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
