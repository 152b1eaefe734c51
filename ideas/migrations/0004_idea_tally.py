"""A tally of ideas per stage and confidentiality, kept exact by PostgreSQL triggers,
and the function that counts the ideas a user may see with it.

The idea list shows how many ideas a user may see. Counting 20,000 rows through
the visibility rules cost more than the rest of the page, so the list adds up
this small table instead (see ``ideas.selectors.count_ideas``).

Statement-level triggers with transition tables: one bulk insert of 20,000
ideas updates the tally once per (stage, confidential) pair, and an update that
changes neither column writes nothing. Pairs are written in key order so two
transactions never wait on each other's rows in opposite orders. SQLite (laptop
mode) gets the table but no triggers: the list counts rows there.
"""

from django.db import migrations, models

FUNCTION = """
CREATE OR REPLACE FUNCTION ideas_tally_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM ideas_ideatally;
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO ideas_ideatally (stage_id, is_confidential, ideas)
        SELECT stage_id, is_confidential, count(*) FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (stage_id, is_confidential) DO UPDATE SET ideas = ideas_ideatally.ideas + EXCLUDED.ideas;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO ideas_ideatally (stage_id, is_confidential, ideas)
        SELECT stage_id, is_confidential, -count(*) FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (stage_id, is_confidential) DO UPDATE SET ideas = ideas_ideatally.ideas + EXCLUDED.ideas;
    ELSE
        INSERT INTO ideas_ideatally (stage_id, is_confidential, ideas)
        SELECT stage_id, is_confidential, sum(n) FROM (
            SELECT stage_id, is_confidential, 1 AS n FROM new_rows
            UNION ALL
            SELECT stage_id, is_confidential, -1 AS n FROM old_rows
        ) AS changes
        GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
        ON CONFLICT (stage_id, is_confidential) DO UPDATE SET ideas = ideas_ideatally.ideas + EXCLUDED.ideas;
    END IF;
    RETURN NULL;
END
$$;
"""

TRIGGERS = [
    "CREATE TRIGGER ideas_tally_insert AFTER INSERT ON ideas_idea"
    " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ideas_tally_apply()",
    "CREATE TRIGGER ideas_tally_update AFTER UPDATE ON ideas_idea"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ideas_tally_apply()",
    "CREATE TRIGGER ideas_tally_delete AFTER DELETE ON ideas_idea"
    " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ideas_tally_apply()",
    "CREATE TRIGGER ideas_tally_truncate AFTER TRUNCATE ON ideas_idea"
    " FOR EACH STATEMENT EXECUTE FUNCTION ideas_tally_apply()",
]

# How many ideas a user may see (optionally in some stages), with the rules of
# ideas.permissions.visible_filter: the tally gives every submitted idea the user
# sees because of who they are (all of them if their role reads confidential
# ideas, else the non-confidential ones); what it leaves out (their own drafts
# and, unless their role reads them all, confidential ideas they own, co-own or
# review) is found from their links through indexes. PL/pgSQL so PostgreSQL
# keeps the plan for the connection: planning cost as much as running it.
COUNT_FUNCTION = """
CREATE OR REPLACE FUNCTION ideas_visible_count(p_user bigint, p_reads_all boolean, p_stages bigint[])
RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE
    total bigint;
BEGIN
    WITH drafts AS (SELECT id FROM ideas_stage WHERE kind = 'draft')
    SELECT COALESCE((
        SELECT SUM(t.ideas) FROM ideas_ideatally t
        WHERE t.stage_id NOT IN (SELECT id FROM drafts) AND (p_reads_all OR NOT t.is_confidential)
          AND (p_stages IS NULL OR t.stage_id = ANY(p_stages))
    ), 0) + (SELECT COUNT(*) FROM (
        SELECT i.id FROM ideas_idea i
        WHERE i.owner_id = p_user AND (i.stage_id IN (SELECT id FROM drafts) OR (NOT p_reads_all AND i.is_confidential))
          AND (p_stages IS NULL OR i.stage_id = ANY(p_stages))
        UNION
        SELECT i.id FROM ideas_idea_co_owners c JOIN ideas_idea i ON i.id = c.idea_id
        WHERE c.user_id = p_user AND (i.stage_id IN (SELECT id FROM drafts) OR (NOT p_reads_all AND i.is_confidential))
          AND (p_stages IS NULL OR i.stage_id = ANY(p_stages))
        UNION
        SELECT i.id FROM ideas_idea i
        WHERE NOT p_reads_all AND i.is_confidential AND i.stage_id NOT IN (SELECT id FROM drafts)
          AND (p_stages IS NULL OR i.stage_id = ANY(p_stages))
          AND i.id IN (SELECT r.idea_id FROM ideas_review r WHERE r.reviewer_id = p_user AND r.status <> 'cancelled')
    ) AS linked)
    INTO total;
    RETURN total;
END
$$;
"""

# What the function reads about the user's own links, from indexes alone (index-only scans):
# the confidential ideas (few by nature), the stage and confidentiality of the ideas a user
# owns, and the ideas a user reviews.
LINK_INDEXES = [
    "CREATE INDEX IF NOT EXISTS idea_confidential ON ideas_idea (id) INCLUDE (stage_id) WHERE is_confidential",
    "CREATE INDEX IF NOT EXISTS idea_owner_visibility ON ideas_idea (owner_id) INCLUDE (id, stage_id, is_confidential)",
    "CREATE INDEX IF NOT EXISTS review_reviewer_open ON ideas_review (reviewer_id) INCLUDE (idea_id)"
    " WHERE status <> 'cancelled'",
]

BACKFILL = """
INSERT INTO ideas_ideatally (stage_id, is_confidential, ideas)
SELECT stage_id, is_confidential, count(*) FROM ideas_idea GROUP BY 1, 2
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("LOCK TABLE ideas_idea IN SHARE ROW EXCLUSIVE MODE")  # no write slips between backfill and triggers
    schema_editor.execute(FUNCTION)
    for statement in TRIGGERS:
        schema_editor.execute(statement)
    schema_editor.execute(BACKFILL)
    for statement in LINK_INDEXES:
        schema_editor.execute(statement)
    schema_editor.execute(COUNT_FUNCTION)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("insert", "update", "delete", "truncate"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS ideas_tally_{name} ON ideas_idea")
    schema_editor.execute("DROP FUNCTION IF EXISTS ideas_visible_count(bigint, boolean, bigint[])")
    schema_editor.execute("DROP FUNCTION IF EXISTS ideas_tally_apply()")
    for name in ("idea_confidential", "idea_owner_visibility", "review_reviewer_open"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("ideas", "0003_browsing_indexes")]

    operations = [
        migrations.CreateModel(
            name="IdeaTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("stage_id", models.BigIntegerField()),
                ("is_confidential", models.BooleanField()),
                ("ideas", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("stage_id", "is_confidential"), name="idea_tally_key")],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
