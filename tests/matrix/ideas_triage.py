"""The secretary's triage view (ideas grouped with their overlaps): the secretary and admins (who stand in)."""

from tests.permission_matrix import Case, only

MATRIX = {
    "ideas:triage": Case(only({"secretary", "admin"})),
}
