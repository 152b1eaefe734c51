"""Full-text matching of ideas on PostgreSQL, against the stored ``search_vector`` (migration 0008)."""

from __future__ import annotations

from django.db.models import BooleanField, Expression


class Matches(Expression):
    """``<idea>.search_vector @@ websearch_to_tsquery('english', q)`` about the query's own idea table.

    A condition on the row itself (not ``pk IN (SELECT … matching)``), so PostgreSQL
    can answer it together with the other filters from one GIN index
    (``idea_search_stage``: the vector and the stage). The table alias is read
    when the SQL is written, so it works inside subqueries too.
    """

    conditional = True

    def __init__(self, q: str):
        super().__init__(output_field=BooleanField())
        self.q = q

    def as_sql(self, compiler, connection):
        idea = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{idea}.search_vector @@ websearch_to_tsquery('english', %s)", [self.q]
