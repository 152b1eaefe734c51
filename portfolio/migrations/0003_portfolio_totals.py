"""Totals for the portfolio pages, kept exact by PostgreSQL triggers (see portfolio/tallies.py).

How it stays exact: every change to an idea, its central-system links, its data
outputs (and who values them) or its stage changes calls
``portfolio_totals_refresh(idea ids, what)`` from a statement-level trigger.
For those ideas it takes the contribution recorded in the share tables out of
the tallies, puts the contribution computed now (the ``*_now`` views, from the
ideas tables) in, in one statement per tally with its keys in order (so two
transactions never wait on each other's rows in opposite orders), then replaces
the shares. The cost follows the ideas changed, never the ideas held.

Dates are the local dates of ``settings.TIME_ZONE`` when this migration ran
(the dashboards' months and days); SQLite (laptop mode) gets the tables but no
triggers, and the pages count rows there.
"""

from decimal import Decimal

from django.conf import settings
from django.db import migrations, models

VIEWS = """
CREATE OR REPLACE VIEW portfolio_ideashare_now AS
SELECT i.id AS idea_id, i.stage_id, i.is_confidential, COALESCE(i.department_id, 0) AS department_id,
       (i.submitted_at AT TIME ZONE '{tz}')::date AS submitted_day,
       date_trunc('month', i.submitted_at AT TIME ZONE '{tz}')::date AS submitted_month,
       (COALESCE(i.one_off_cost, 0) + COALESCE(i.integration_cost, 0))::numeric(18, 2) AS one_off,
       COALESCE(i.recurring_cost, 0)::numeric(18, 2) AS recurring,
       COALESCE(i.cash_savings_per_year, 0)::numeric(18, 2) AS savings,
       (SELECT count(*) FROM ideas_dataoutput o WHERE o.idea_id = i.id)::int AS outputs
FROM ideas_idea i;

CREATE OR REPLACE VIEW portfolio_systemshare_now AS
SELECT l.idea_id, l.system_id, i.stage_id, i.is_confidential, l.integration_cost::numeric(18, 2) AS integration,
       COALESCE(i.one_off_cost, 0)::numeric(18, 2) AS one_off, COALESCE(i.recurring_cost, 0)::numeric(18, 2) AS recurring
FROM ideas_ideacentralsystem l JOIN ideas_idea i ON i.id = l.idea_id;

CREATE OR REPLACE VIEW portfolio_flowshare_now AS
SELECT o.idea_id, v.department_id AS receiver_id, COALESCE(i.department_id, 0) AS producer_id, i.stage_id,
       i.is_confidential, count(*)::int AS outputs
FROM ideas_dataoutput o
JOIN ideas_dataoutput_valued_by v ON v.dataoutput_id = o.id
JOIN ideas_idea i ON i.id = o.idea_id
GROUP BY o.idea_id, v.department_id, i.department_id, i.stage_id, i.is_confidential;

CREATE OR REPLACE VIEW portfolio_stayshare_now AS
SELECT sc.id AS stage_change_id, sc.idea_id, sc.from_stage_id AS stage_id, i.stage_id AS idea_stage_id,
       COALESCE(i.department_id, 0) AS department_id, i.is_confidential, sc.at AS left_at,
       (EXTRACT(EPOCH FROM (sc.at - COALESCE(
           LAG(sc.at) OVER (PARTITION BY sc.idea_id ORDER BY sc.at, sc.id), i.created_at
       ))) / 86400.0)::float8 AS days
FROM ideas_stagechange sc JOIN ideas_idea i ON i.id = sc.idea_id;
"""

IDEA_COLUMNS = "idea_id, stage_id, is_confidential, department_id, submitted_day, submitted_month, one_off, recurring, savings, outputs"
SYSTEM_COLUMNS = "idea_id, system_id, stage_id, is_confidential, integration, one_off, recurring"
FLOW_COLUMNS = "idea_id, receiver_id, producer_id, stage_id, is_confidential, outputs"
STAY_COLUMNS = "stage_change_id, idea_id, stage_id, idea_stage_id, department_id, is_confidential, left_at, days"

REFRESH = f"""
CREATE OR REPLACE FUNCTION portfolio_totals_refresh(ids bigint[], what text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    IF what IN ('idea', 'data') THEN
        INSERT INTO portfolio_periodtally AS t (kind, period, department_id, stage_id, is_confidential, ideas, one_off,
                                                recurring, savings)
        SELECT kind, period, department_id, stage_id, is_confidential, sum(n), sum(one_off), sum(recurring), sum(savings)
        FROM (
            SELECT 'm' AS kind, submitted_month AS period, department_id, stage_id, is_confidential, -1 AS n,
                   -one_off AS one_off, -recurring AS recurring, -savings AS savings
            FROM portfolio_ideashare WHERE idea_id = ANY(ids) AND submitted_day IS NOT NULL
            UNION ALL
            SELECT 'd', submitted_day, department_id, stage_id, is_confidential, -1, -one_off, -recurring, -savings
            FROM portfolio_ideashare WHERE idea_id = ANY(ids) AND submitted_day IS NOT NULL
            UNION ALL
            SELECT 'm', submitted_month, department_id, stage_id, is_confidential, 1, one_off, recurring, savings
            FROM portfolio_ideashare_now WHERE idea_id = ANY(ids) AND submitted_day IS NOT NULL
            UNION ALL
            SELECT 'd', submitted_day, department_id, stage_id, is_confidential, 1, one_off, recurring, savings
            FROM portfolio_ideashare_now WHERE idea_id = ANY(ids) AND submitted_day IS NOT NULL
        ) AS d
        GROUP BY 1, 2, 3, 4, 5
        HAVING sum(n) <> 0 OR sum(one_off) <> 0 OR sum(recurring) <> 0 OR sum(savings) <> 0
        ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (kind, period, department_id, stage_id, is_confidential) DO UPDATE SET
            ideas = t.ideas + EXCLUDED.ideas, one_off = t.one_off + EXCLUDED.one_off,
            recurring = t.recurring + EXCLUDED.recurring, savings = t.savings + EXCLUDED.savings;

        INSERT INTO portfolio_outputtally AS t (producer_id, stage_id, is_confidential, outputs)
        SELECT department_id, stage_id, is_confidential, sum(n) FROM (
            SELECT department_id, stage_id, is_confidential, -outputs AS n FROM portfolio_ideashare WHERE idea_id = ANY(ids)
            UNION ALL
            SELECT department_id, stage_id, is_confidential, outputs FROM portfolio_ideashare_now WHERE idea_id = ANY(ids)
        ) AS d
        GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (producer_id, stage_id, is_confidential) DO UPDATE SET outputs = t.outputs + EXCLUDED.outputs;

        DELETE FROM portfolio_ideashare WHERE idea_id = ANY(ids);
        INSERT INTO portfolio_ideashare ({IDEA_COLUMNS})
        SELECT {IDEA_COLUMNS} FROM portfolio_ideashare_now WHERE idea_id = ANY(ids);

        INSERT INTO portfolio_flowtally AS t (producer_id, receiver_id, stage_id, is_confidential, outputs, ideas)
        SELECT producer_id, receiver_id, stage_id, is_confidential, sum(outputs), sum(n) FROM (
            SELECT producer_id, receiver_id, stage_id, is_confidential, -outputs AS outputs, -1 AS n
            FROM portfolio_flowshare WHERE idea_id = ANY(ids)
            UNION ALL
            SELECT producer_id, receiver_id, stage_id, is_confidential, outputs, 1
            FROM portfolio_flowshare_now WHERE idea_id = ANY(ids)
        ) AS d
        GROUP BY 1, 2, 3, 4 HAVING sum(outputs) <> 0 OR sum(n) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (producer_id, receiver_id, stage_id, is_confidential) DO UPDATE SET
            outputs = t.outputs + EXCLUDED.outputs, ideas = t.ideas + EXCLUDED.ideas;

        DELETE FROM portfolio_flowshare WHERE idea_id = ANY(ids);
        INSERT INTO portfolio_flowshare ({FLOW_COLUMNS})
        SELECT {FLOW_COLUMNS} FROM portfolio_flowshare_now WHERE idea_id = ANY(ids);
    END IF;
    IF what IN ('idea', 'systems') THEN
        INSERT INTO portfolio_systemtally AS t (system_id, stage_id, is_confidential, ideas, integration, one_off, recurring)
        SELECT system_id, stage_id, is_confidential, sum(n), sum(integration), sum(one_off), sum(recurring) FROM (
            SELECT system_id, stage_id, is_confidential, -1 AS n, -integration AS integration, -one_off AS one_off,
                   -recurring AS recurring
            FROM portfolio_systemshare WHERE idea_id = ANY(ids)
            UNION ALL
            SELECT system_id, stage_id, is_confidential, 1, integration, one_off, recurring
            FROM portfolio_systemshare_now WHERE idea_id = ANY(ids)
        ) AS d
        GROUP BY 1, 2, 3
        HAVING sum(n) <> 0 OR sum(integration) <> 0 OR sum(one_off) <> 0 OR sum(recurring) <> 0
        ORDER BY 1, 2, 3
        ON CONFLICT (system_id, stage_id, is_confidential) DO UPDATE SET
            ideas = t.ideas + EXCLUDED.ideas, integration = t.integration + EXCLUDED.integration,
            one_off = t.one_off + EXCLUDED.one_off, recurring = t.recurring + EXCLUDED.recurring;

        DELETE FROM portfolio_systemshare WHERE idea_id = ANY(ids);
        INSERT INTO portfolio_systemshare ({SYSTEM_COLUMNS})
        SELECT {SYSTEM_COLUMNS} FROM portfolio_systemshare_now WHERE idea_id = ANY(ids);
    END IF;
    IF what IN ('idea', 'stays') THEN
        -- Stays are read by period straight from their own index, so there is no tally to adjust.
        DELETE FROM portfolio_stayshare WHERE idea_id = ANY(ids);
        INSERT INTO portfolio_stayshare ({STAY_COLUMNS})
        SELECT {STAY_COLUMNS} FROM portfolio_stayshare_now WHERE idea_id = ANY(ids);
    END IF;
END
$$;
"""

REBUILD = f"""
CREATE OR REPLACE FUNCTION portfolio_totals_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM portfolio_periodtally;
    DELETE FROM portfolio_outputtally;
    DELETE FROM portfolio_flowtally;
    DELETE FROM portfolio_systemtally;
    DELETE FROM portfolio_ideashare;
    DELETE FROM portfolio_flowshare;
    DELETE FROM portfolio_systemshare;
    DELETE FROM portfolio_stayshare;
    INSERT INTO portfolio_ideashare ({IDEA_COLUMNS}) SELECT {IDEA_COLUMNS} FROM portfolio_ideashare_now;
    INSERT INTO portfolio_flowshare ({FLOW_COLUMNS}) SELECT {FLOW_COLUMNS} FROM portfolio_flowshare_now;
    INSERT INTO portfolio_systemshare ({SYSTEM_COLUMNS}) SELECT {SYSTEM_COLUMNS} FROM portfolio_systemshare_now;
    INSERT INTO portfolio_stayshare ({STAY_COLUMNS}) SELECT {STAY_COLUMNS} FROM portfolio_stayshare_now;
    INSERT INTO portfolio_periodtally (kind, period, department_id, stage_id, is_confidential, ideas, one_off, recurring,
                                       savings)
    SELECT 'm', submitted_month, department_id, stage_id, is_confidential, count(*), sum(one_off), sum(recurring),
           sum(savings)
    FROM portfolio_ideashare WHERE submitted_day IS NOT NULL GROUP BY 2, 3, 4, 5
    UNION ALL
    SELECT 'd', submitted_day, department_id, stage_id, is_confidential, count(*), sum(one_off), sum(recurring),
           sum(savings)
    FROM portfolio_ideashare WHERE submitted_day IS NOT NULL GROUP BY 2, 3, 4, 5;
    INSERT INTO portfolio_outputtally (producer_id, stage_id, is_confidential, outputs)
    SELECT department_id, stage_id, is_confidential, sum(outputs) FROM portfolio_ideashare GROUP BY 1, 2, 3;
    INSERT INTO portfolio_flowtally (producer_id, receiver_id, stage_id, is_confidential, outputs, ideas)
    SELECT producer_id, receiver_id, stage_id, is_confidential, sum(outputs), count(*) FROM portfolio_flowshare
    GROUP BY 1, 2, 3, 4;
    INSERT INTO portfolio_systemtally (system_id, stage_id, is_confidential, ideas, integration, one_off, recurring)
    SELECT system_id, stage_id, is_confidential, count(*), sum(integration), sum(one_off), sum(recurring)
    FROM portfolio_systemshare GROUP BY 1, 2, 3;
END
$$;
"""

# The idea columns any total reads: an update that changes none of them (an edited problem, a new score) costs nothing.
WATCHED = ("stage_id", "is_confidential", "department_id", "submitted_at", "one_off_cost", "recurring_cost",
           "integration_cost", "cash_savings_per_year", "created_at")

ON_IDEA = """
CREATE OR REPLACE FUNCTION portfolio_totals_on_idea() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM portfolio_totals_rebuild();
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT array_agg(id) INTO ids FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(id) INTO ids FROM old_rows;
    ELSE
        SELECT array_agg(DISTINCT id) INTO ids FROM (
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE ({new}) IS DISTINCT FROM ({old})
            UNION ALL
            SELECT n.id FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM old_rows o WHERE o.id = n.id)
            UNION ALL
            SELECT o.id FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = o.id)
        ) AS changed;
    END IF;
    PERFORM portfolio_totals_refresh(ids, 'idea');
    RETURN NULL;
END
$$;
""".format(new=", ".join(f"n.{c}" for c in WATCHED), old=", ".join(f"o.{c}" for c in WATCHED))

# Links, outputs and stage changes: the ideas they belong to, before and after. TG_ARGV[0] says which totals.
ON_CHILD = """
CREATE OR REPLACE FUNCTION portfolio_totals_on_child() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM portfolio_totals_rebuild();
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT idea_id) INTO ids FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT idea_id) INTO ids FROM old_rows;
    ELSE
        SELECT array_agg(DISTINCT idea_id) INTO ids FROM (
            SELECT idea_id FROM new_rows UNION ALL SELECT idea_id FROM old_rows
        ) AS changed;
    END IF;
    PERFORM portfolio_totals_refresh(ids, TG_ARGV[0]);
    RETURN NULL;
END
$$;
"""

# Who values an output: the output's idea. An output deleted first was already counted out by its own trigger.
ON_VALUED = """
CREATE OR REPLACE FUNCTION portfolio_totals_on_valued() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM portfolio_totals_rebuild();
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT o.idea_id) INTO ids FROM new_rows r JOIN ideas_dataoutput o ON o.id = r.dataoutput_id;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT o.idea_id) INTO ids FROM old_rows r JOIN ideas_dataoutput o ON o.id = r.dataoutput_id;
    ELSE
        SELECT array_agg(DISTINCT o.idea_id) INTO ids FROM (
            SELECT dataoutput_id FROM new_rows UNION ALL SELECT dataoutput_id FROM old_rows
        ) AS r JOIN ideas_dataoutput o ON o.id = r.dataoutput_id;
    END IF;
    PERFORM portfolio_totals_refresh(ids, 'data');
    RETURN NULL;
END
$$;
"""

# (table, trigger function, its argument)
SOURCES = [
    ("ideas_idea", "portfolio_totals_on_idea", ""),
    ("ideas_ideacentralsystem", "portfolio_totals_on_child", "'systems'"),
    ("ideas_dataoutput", "portfolio_totals_on_child", "'data'"),
    ("ideas_stagechange", "portfolio_totals_on_child", "'stays'"),
    ("ideas_dataoutput_valued_by", "portfolio_totals_on_valued", ""),
]


def _triggers() -> list[str]:
    out = []
    for table, function, argument in SOURCES:
        run = f"FOR EACH STATEMENT EXECUTE FUNCTION {function}({argument})"
        out += [
            f"CREATE TRIGGER portfolio_totals_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows {run}",
            f"CREATE TRIGGER portfolio_totals_update AFTER UPDATE ON {table}"
            f" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows {run}",
            f"CREATE TRIGGER portfolio_totals_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows {run}",
            f"CREATE TRIGGER portfolio_totals_truncate AFTER TRUNCATE ON {table} {run}",
        ]
    return out


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    tables = ", ".join(table for table, _, _ in SOURCES)
    schema_editor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")  # no write slips past the backfill
    schema_editor.execute(VIEWS.format(tz=settings.TIME_ZONE.replace("'", "")))
    for sql in (REFRESH, REBUILD, ON_IDEA, ON_CHILD, ON_VALUED, *_triggers()):
        schema_editor.execute(sql)
    schema_editor.execute("SELECT portfolio_totals_rebuild()")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _, _ in SOURCES:
        for name in ("insert", "update", "delete", "truncate"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS portfolio_totals_{name} ON {table}")
    for function in ("portfolio_totals_on_idea()", "portfolio_totals_on_child()", "portfolio_totals_on_valued()",
                     "portfolio_totals_refresh(bigint[], text)", "portfolio_totals_rebuild()"):
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}")
    for view in ("ideashare", "systemshare", "flowshare", "stayshare"):
        schema_editor.execute(f"DROP VIEW IF EXISTS portfolio_{view}_now")


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0002_sso_api_tokens'),
        ('ideas', '0007_one_line_names'),
    ]

    operations = [
        migrations.CreateModel(
            name='IdeaShare',
            fields=[
                ('idea_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('stage_id', models.BigIntegerField()),
                ('is_confidential', models.BooleanField()),
                ('department_id', models.BigIntegerField()),
                ('submitted_day', models.DateField(null=True)),
                ('submitted_month', models.DateField(null=True)),
                ('one_off', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=18)),
                ('recurring', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=18)),
                ('savings', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=18)),
                ('outputs', models.IntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='FlowShare',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('idea_id', models.BigIntegerField()),
                ('receiver_id', models.BigIntegerField()),
                ('producer_id', models.BigIntegerField()),
                ('stage_id', models.BigIntegerField()),
                ('is_confidential', models.BooleanField()),
                ('outputs', models.IntegerField()),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('idea_id', 'receiver_id'), name='flowshare_key')],
            },
        ),
        migrations.CreateModel(
            name='FlowTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('producer_id', models.BigIntegerField()),
                ('receiver_id', models.BigIntegerField()),
                ('stage_id', models.BigIntegerField()),
                ('is_confidential', models.BooleanField()),
                ('outputs', models.BigIntegerField(default=0)),
                ('ideas', models.BigIntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('producer_id', 'receiver_id', 'stage_id', 'is_confidential'), name='flowtally_key')],
            },
        ),
        migrations.CreateModel(
            name='OutputTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('producer_id', models.BigIntegerField()),
                ('stage_id', models.BigIntegerField()),
                ('is_confidential', models.BooleanField()),
                ('outputs', models.BigIntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('producer_id', 'stage_id', 'is_confidential'), name='outputtally_key')],
            },
        ),
        migrations.CreateModel(
            name='PeriodTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=1)),
                ('period', models.DateField()),
                ('department_id', models.BigIntegerField()),
                ('stage_id', models.BigIntegerField()),
                ('is_confidential', models.BooleanField()),
                ('ideas', models.BigIntegerField(default=0)),
                ('one_off', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=18)),
                ('recurring', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=18)),
                ('savings', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=18)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('kind', 'period', 'department_id', 'stage_id', 'is_confidential'), name='periodtally_key')],
            },
        ),
        migrations.CreateModel(
            name='StayShare',
            fields=[
                ('stage_change_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('idea_id', models.BigIntegerField()),
                ('stage_id', models.BigIntegerField()),
                ('idea_stage_id', models.BigIntegerField()),
                ('department_id', models.BigIntegerField()),
                ('is_confidential', models.BooleanField()),
                ('left_at', models.DateTimeField()),
                ('days', models.FloatField()),
            ],
            options={
                'indexes': [models.Index(fields=['idea_id'], name='stayshare_idea'), models.Index(fields=['left_at'], include=('stage_id', 'idea_stage_id', 'department_id', 'is_confidential', 'idea_id', 'days'), name='stayshare_left')],
            },
        ),
        migrations.CreateModel(
            name='SystemShare',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('idea_id', models.BigIntegerField()),
                ('system_id', models.BigIntegerField()),
                ('stage_id', models.BigIntegerField()),
                ('is_confidential', models.BooleanField()),
                ('integration', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=18)),
                ('one_off', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=18)),
                ('recurring', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=18)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('idea_id', 'system_id'), name='systemshare_key')],
            },
        ),
        migrations.CreateModel(
            name='SystemTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('system_id', models.BigIntegerField()),
                ('stage_id', models.BigIntegerField()),
                ('is_confidential', models.BooleanField()),
                ('ideas', models.BigIntegerField(default=0)),
                ('integration', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=18)),
                ('one_off', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=18)),
                ('recurring', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=18)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('system_id', 'stage_id', 'is_confidential'), name='systemtally_key')],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
