"""Agenda packs: members, the secretary and admins read; only the secretary and admins retry."""

from tests.permission_matrix import Case, only

READERS = {"secretary", "board_member", "admin"}
MANAGERS = {"secretary", "admin"}

MATRIX = {
    "board:pack_status": Case(only(READERS), kwargs=lambda w: {"pk": w["pack_meeting"].pk}),
    "board:pack_download": Case(only(READERS), kwargs=lambda w: {"pk": w["pack_ready"].pk}),
    "board:paper": Case(only(READERS), kwargs=lambda w: {"pk": w["pack_item"].pk}),
    "board:pack_retry": Case(only(MANAGERS, ok=302), kwargs=lambda w: {"pk": w["pack_failed"].pk}, method="post"),
}
