"""Browsing: the idea list, an idea's page, comments, following, moves, "My ideas" and "Waiting for me".

The idea-page URLs point at the confidential idea: its owner (officer), its
assigned reviewer, the secretary, board members and admins may see it; an
officer of another department may not even learn it exists (404).
"""

from tests.permission_matrix import LOGIN, ROLES, Case, everyone

CONFIDENTIAL_READERS = {"officer", "reviewer", "secretary", "board_member", "admin"}


def confidential(ok):
    return {role: LOGIN if role == "anonymous" else ok if role in CONFIDENTIAL_READERS else 404 for role in ROLES}


def _stale_move(world):
    # An expected stage that is not the idea's: every role that may see the idea is told it
    # has moved on (302 back to the page), and nothing changes between roles.
    return {"expected_stage_id": world["submitted"].stage_id, "comment": "Matrix check"}


MATRIX = {
    "ideas:list": Case(everyone(200)),
    "ideas:mine": Case(everyone(200)),
    "ideas:waiting": Case(everyone(200)),
    "ideas:detail": Case(confidential(200), kwargs=lambda w: {"pk": w["confidential"].pk}),
    "ideas:comment": Case(
        confidential(302), kwargs=lambda w: {"pk": w["confidential"].pk}, method="post",
        data=lambda w: {"body": "A comment from the permission matrix."},
    ),
    "ideas:follow": Case(
        confidential(302), kwargs=lambda w: {"pk": w["confidential"].pk}, method="post",
        data=lambda w: {"following": "1"},
    ),
    "ideas:move": Case(
        confidential(302),
        kwargs=lambda w: {"pk": w["confidential"].pk, "transition_pk": w["browsing_confidential_move"].pk},
        method="post",
        data=_stale_move,
    ),
}
