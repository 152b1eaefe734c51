"""A search vector stored per idea with a GIN index that also holds the stage, and the data register's order.

Filtered search (``/ideas/?q=data&stage=3``) used to intersect two separate sets:
every idea matching the words (from the expression index ``idea_search_fts``, with
``to_tsvector`` computed again for each row it rechecked) and every idea in the stage.
Both grow with the data, so the page grew with it. ``search_vector`` is
``to_tsvector('english', search_text)`` kept by PostgreSQL as a stored generated
column (no code writes it; a bulk insert fills it too), and ``idea_search_stage``
is one GIN index over the vector and the stage (``btree_gin``): the words and the
stage are intersected inside the index, so only ideas matching both are read.
The reasoning and the EXPLAIN ANALYZE at 200,000 ideas are in the README.

PostgreSQL only, and raw SQL so the model state is unchanged: SQLite (laptop mode)
has neither, and ``ideas.selectors.apply_search`` matches words there.
"""

from django.db import migrations, models

FORWARDS = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "ALTER TABLE ideas_idea ADD COLUMN IF NOT EXISTS search_vector tsvector"
    " GENERATED ALWAYS AS (to_tsvector('english'::regconfig, search_text)) STORED",
    "CREATE INDEX IF NOT EXISTS idea_search_stage ON ideas_idea USING gin (search_vector, stage_id)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS idea_search_stage",
    "ALTER TABLE ideas_idea DROP COLUMN IF EXISTS search_vector",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARDS:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARDS:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("ideas", "0008_idea_terms"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dataoutput",
            index=models.Index(fields=["description", "id"], name="dataoutput_description"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
