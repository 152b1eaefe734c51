"""Joining up ideas: asking to join, answering, linking and merging.

Asking to join: anyone who sees the idea and is not already part of it (its owner is sent
back to the page). Answering and linking: the idea's owners. Removing a link: the owners of
either idea (others are told on the page; an idea one may not see is a 404). Merging: the
secretary or an admin, never on their own idea.
"""

from tests.permission_matrix import LOGIN, ROLES, Case, only


def confidential(ok):
    return {role: LOGIN if role == "anonymous" else 404 if role == "officer_other" else ok for role in ROLES}


MATRIX = {
    "ideas:join_request": Case(
        {**only(set(ROLES)), "officer": 302}, kwargs=lambda w: {"pk": w["submitted"].pk},
    ),
    "ideas:join_answer": Case(
        only({"officer"}), kwargs=lambda w: {"pk": w["submitted"].pk, "request_pk": w["join_request"].pk},
    ),
    "ideas:link_add": Case(only({"officer"}), kwargs=lambda w: {"pk": w["submitted"].pk}),
    "ideas:link_remove": Case(
        confidential(302), kwargs=lambda w: {"pk": w["confidential"].pk, "link_pk": w["confidential_link"].pk},
        method="post", data=lambda w: {"confirm": "1"},
    ),
    "ideas:merge": Case(only({"secretary", "admin"}), kwargs=lambda w: {"pk": w["others_idea"].pk}),
}
