"""Board meetings: only the secretary and admins change meetings; members read;
officers see published decisions on their own ideas and their own actions, nothing else."""

from tests.permission_matrix import PUBLIC, Case, everyone, only

READERS = {"secretary", "board_member", "admin"}
MANAGERS = {"secretary", "admin"}


def meeting(w):
    return {"pk": w["meeting"].pk}


def past(w):
    return {"pk": w["past_meeting"].pk}


def idea_item(w):
    return {"pk": w["idea_item"].pk}


MATRIX = {
    "board:meetings": Case(only(READERS)),
    # The officer owns (and so presents) the idea on the published agenda: they read its running order.
    "board:meeting": Case(only(READERS | {"officer"}), kwargs=meeting),
    "board:meeting_new": Case(only(MANAGERS)),
    "board:meeting_edit": Case(only(MANAGERS), kwargs=meeting),
    "board:meeting_publish": Case(only(MANAGERS, ok=302), kwargs=meeting, method="post"),
    "board:meeting_held": Case(only(MANAGERS, ok=302), kwargs=meeting, method="post"),
    "board:agenda": Case(only(MANAGERS), kwargs=meeting),
    "board:agenda_add_idea": Case(only(MANAGERS, ok=302), kwargs=meeting, method="post"),
    "board:agenda_add_free": Case(only(MANAGERS), kwargs=meeting),
    "board:return_parked": Case(only(MANAGERS, ok=302), kwargs=meeting, method="post"),
    "board:agenda_item_edit": Case(only(MANAGERS), kwargs=idea_item),
    "board:agenda_item_move": Case(only(MANAGERS, ok=302), kwargs=idea_item, method="post"),
    "board:agenda_item_remove": Case(only(MANAGERS, ok=302), kwargs=idea_item, method="post"),
    "board:declare": Case(only({"board_member"}), kwargs=idea_item),
    "board:decide": Case(only(MANAGERS), kwargs=idea_item),
    # Members of the Board (the board member and the secretary) send their own apologies.
    "board:apologies": Case(only({"board_member", "secretary"}), kwargs=meeting),
    "board:attendance": Case(only(MANAGERS), kwargs=meeting),
    "board:action_new": Case(only(MANAGERS), kwargs=meeting),
    "board:actions": Case(everyone(200)),
    # The officer owns the action; Board members know it exists (403); others do not (404).
    "board:action_edit": Case(
        {"anonymous": "login", "officer": 200, "officer_other": 404, "reviewer": 404, "secretary": 200,
         "board_member": 403, "admin": 200},
        kwargs=lambda w: {"pk": w["action"].pk},
    ),
    # The officer's idea was decided at the past meeting, whose minutes are approved.
    "board:minutes": Case(only(READERS | {"officer"}), kwargs=past),
    "board:minutes_pdf": Case(only(READERS | {"officer"}), kwargs=past),
    "board:minutes_edit": Case(only(MANAGERS), kwargs=past),
    "board:minutes_approve": Case(only(MANAGERS, ok=302), kwargs=past, method="post"),
    "board:decisions": Case(everyone(200)),
    "board:meeting_ics": Case(only(READERS), kwargs=meeting),
    "board:calendar": Case(only(READERS)),
    "board:calendar_feed": Case(PUBLIC, kwargs=lambda w: {"token": w["feed_token"].secret}),
    "board:calendar_addresses": Case(only({"admin"})),
    # The board member's own address: its owner and admins may stop it; to anyone else it does not exist.
    "board:calendar_revoke": Case(only({"board_member", "admin"}, denied=404), kwargs=lambda w: {"pk": w["feed_token"].pk}),
}
