"""Postings for the similar-ideas lookup (ideas.similarity): one row per word of an idea's
title and problem, and per pair of title words, kept exact by PostgreSQL triggers.

Why a table and not only the GIN indexes of migration 0002: a GIN (or GiST) scan reads
every posting of every word it is asked about, so a probe made of common words costs
in proportion to the number of ideas. A B-tree on (term, idea_id) lets the lookup read
at most a fixed number of postings per word, newest first, whatever the data size (see
ideas/similarity.py and the README).

Statement-level triggers with transition tables, as the tally of migration 0004: a bulk
insert of 1,000 ideas writes their postings in one statement, and an update that changes
neither the title nor the problem writes nothing. The words are cut by the same SQL
function for ideas and for probes, so both sides always agree. SQLite (laptop mode) gets
the table but no triggers; ideas.similarity falls back to word matching there.
"""

import django.db.models.deletion
from django.db import migrations, models

# The words of a title (the first 8, in order, and every pair of them) and of a problem
# (the first p_problem_words): English stems without stop words (to_tsvector), no numbers,
# no stems too long to be words. A pair is "a b" with a < b; stems never hold a space.
TERMS_FUNCTION = """
CREATE OR REPLACE FUNCTION ideas_similarity_terms(p_title text, p_problem text, p_problem_words integer)
RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH title_words AS (
        SELECT u.lexeme FROM unnest(to_tsvector('english', left(coalesce(p_title, ''), 300))) AS u
        WHERE length(u.lexeme) BETWEEN 2 AND 40 AND u.lexeme !~ '^[0-9]'
        ORDER BY u.positions[1], u.lexeme LIMIT 8
    ), problem_words AS (
        SELECT u.lexeme FROM unnest(to_tsvector('english', left(coalesce(p_problem, ''), 4000))) AS u
        WHERE length(u.lexeme) BETWEEN 2 AND 40 AND u.lexeme !~ '^[0-9]'
        ORDER BY u.positions[1], u.lexeme LIMIT p_problem_words
    )
    SELECT lexeme FROM title_words
    UNION
    SELECT a.lexeme || ' ' || b.lexeme FROM title_words a JOIN title_words b ON a.lexeme < b.lexeme
    UNION
    SELECT lexeme FROM problem_words
$$;
"""

# How many words of a problem are kept for an idea (a probe uses fewer: see ideas.similarity).
PROBLEM_WORDS = 40

APPLY_FUNCTION = f"""
CREATE OR REPLACE FUNCTION ideas_terms_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO ideas_ideaterm (term, idea_id)
        SELECT t.term, n.id FROM new_rows n CROSS JOIN LATERAL ideas_similarity_terms(n.title, n.problem, {PROBLEM_WORDS}) AS t(term)
        ORDER BY 1, 2;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM ideas_ideaterm WHERE idea_id IN (SELECT id FROM old_rows);
    ELSE
        DELETE FROM ideas_ideaterm WHERE idea_id IN (
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.title IS DISTINCT FROM o.title OR n.problem IS DISTINCT FROM o.problem
        );
        INSERT INTO ideas_ideaterm (term, idea_id)
        SELECT t.term, n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        CROSS JOIN LATERAL ideas_similarity_terms(n.title, n.problem, {PROBLEM_WORDS}) AS t(term)
        WHERE n.title IS DISTINCT FROM o.title OR n.problem IS DISTINCT FROM o.problem
        ORDER BY 1, 2;
    END IF;
    RETURN NULL;
END
$$;
"""

TRIGGERS = [
    "CREATE TRIGGER ideas_terms_insert AFTER INSERT ON ideas_idea"
    " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ideas_terms_apply()",
    "CREATE TRIGGER ideas_terms_update AFTER UPDATE ON ideas_idea"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ideas_terms_apply()",
    "CREATE TRIGGER ideas_terms_delete AFTER DELETE ON ideas_idea"
    " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ideas_terms_apply()",
]

# The lookup's first step (see ideas/similarity.py): the ids of the ideas that share the
# probe's rare terms, best first. Parameters: $1 title, $2 problem, $3 words of the problem
# to use, $4 postings a term may have and still count (at most $4 + 1 are read), $5 an idea
# to leave out, $6 how many ids. Positional so tests and the README can EXPLAIN the body.
# A word with more postings than $4 is common and weighs nothing; a pair of title words
# with more still counts, through its newest $4 + 1 ideas, weighted as if it had no more.
# Bitmap scans are off inside: the planner may choose one for a small table, and a bitmap
# reads every posting of a term, which is the cost this function exists to bound. JIT is
# off: compiling costs far more than this small query ever runs.
CANDIDATES_FUNCTION = """
CREATE OR REPLACE FUNCTION ideas_similar_candidates(text, text, integer, integer, bigint, integer)
RETURNS bigint[] LANGUAGE sql STABLE PARALLEL SAFE SET enable_bitmapscan = off SET jit = off AS $$
    WITH lists AS (
        SELECT p.term, x.ideas FROM ideas_similarity_terms($1, $2, $3) AS p(term)
        CROSS JOIN LATERAL (
            SELECT array_agg(newest.idea_id) AS ideas FROM (
                SELECT t.idea_id FROM ideas_ideaterm t WHERE t.term = p.term ORDER BY t.idea_id DESC LIMIT $4 + 1
            ) AS newest
        ) AS x
    ), total AS (
        SELECT greatest(coalesce(sum(ideas), 0), 1)::float AS ideas FROM ideas_ideatally
    ), weighed AS MATERIALIZED (  -- each weight computed once, not carried with its list of ids
        SELECT l.ideas, ln(1 + total.ideas / cardinality(l.ideas)) AS weight FROM lists l CROSS JOIN total
        WHERE cardinality(l.ideas) <= $4 OR strpos(l.term, ' ') > 0
    )
    SELECT coalesce(array_agg(idea_id), '{}') FROM (
        SELECT u.idea_id FROM weighed w CROSS JOIN LATERAL unnest(w.ideas) AS u(idea_id)
        WHERE u.idea_id <> $5
        GROUP BY u.idea_id
        ORDER BY sum(w.weight) DESC, u.idea_id DESC
        LIMIT $6
    ) AS best
$$;
"""

BACKFILL = f"""
INSERT INTO ideas_ideaterm (term, idea_id)
SELECT t.term, i.id FROM ideas_idea i CROSS JOIN LATERAL ideas_similarity_terms(i.title, i.problem, {PROBLEM_WORDS}) AS t(term)
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("LOCK TABLE ideas_idea IN SHARE ROW EXCLUSIVE MODE")  # no write slips between backfill and triggers
    schema_editor.execute(TERMS_FUNCTION)
    schema_editor.execute(APPLY_FUNCTION)
    schema_editor.execute(CANDIDATES_FUNCTION)
    for statement in TRIGGERS:
        schema_editor.execute(statement)
    schema_editor.execute(BACKFILL)
    # The GiST index walked nearest-first until now: no longer read, and costly to keep.
    schema_editor.execute("DROP INDEX IF EXISTS idea_search_trgm_gist")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("insert", "update", "delete"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS ideas_terms_{name} ON ideas_idea")
    schema_editor.execute("DROP FUNCTION IF EXISTS ideas_terms_apply()")
    schema_editor.execute("DROP FUNCTION IF EXISTS ideas_similar_candidates(text, text, integer, integer, bigint, integer)")
    schema_editor.execute("DROP FUNCTION IF EXISTS ideas_similarity_terms(text, text, integer)")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS idea_search_trgm_gist ON ideas_idea USING gist (search_text gist_trgm_ops(siglen=256))"
    )


class Migration(migrations.Migration):
    dependencies = [("ideas", "0007_one_line_names")]

    operations = [
        migrations.CreateModel(
            name="IdeaTerm",
            fields=[
                ("pk", models.CompositePrimaryKey("term", "idea", blank=True, editable=False, primary_key=True, serialize=False)),
                ("term", models.CharField(max_length=100)),
                ("idea", models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="ideas.idea")),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
