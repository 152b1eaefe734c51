"""Indexes for the overlaps lookup (ideas/overlaps.py): the newest ideas sharing a central
system, a department served, or data valued by a department are read from a B-tree in
id order with a LIMIT, so a system used by thousands of ideas costs the same as one used
by ten. PostgreSQL only (laptop mode reads the few rows it has).
"""

from django.db import migrations

INDEXES = [
    ("overlap_system_idea", "ideas_ideacentralsystem", "(system_id, idea_id DESC)"),
    ("overlap_served_idea", "ideas_idea_departments", "(department_id, idea_id DESC)"),
    ("overlap_valued_output", "ideas_dataoutput_valued_by", "(department_id, dataoutput_id DESC)"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _columns in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("ideas", "0015_central_system_thresholds")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
