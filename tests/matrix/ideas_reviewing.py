"""Reviewing: assigning reviewers, the review queue, scoring and the ranking."""

from tests.permission_matrix import LOGIN, ROLES, Case, only

MATRIX = {
    "ideas:assign_reviewers": Case(only({"secretary", "admin"}), kwargs=lambda w: {"pk": w["submitted"].pk}),
    "ideas:review_cancel": Case(
        # The secretary cancels it; the admin then finds it already cancelled and is told so.
        only({"secretary", "admin"}, ok=302),
        kwargs=lambda w: {"review_pk": w["reviewing_open_review"].pk},
        method="post",
    ),
    "ideas:review_queue": Case(only({"reviewer"})),
    # Only the assigned reviewer may know the review exists.
    "ideas:review": Case(
        {role: LOGIN if role == "anonymous" else 200 if role == "reviewer" else 404 for role in ROLES},
        kwargs=lambda w: {"review_pk": w["review"].pk},
    ),
    "ideas:ranked": Case(only({"secretary", "board_member", "admin"})),
}
