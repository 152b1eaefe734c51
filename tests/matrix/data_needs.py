"""An idea's data needs: its owners edit them (others who may see the idea get 403, the rest 404)."""

from tests.permission_matrix import LOGIN, ROLES, Case


def owner_only(ok):
    return {role: LOGIN if role == "anonymous" else ok if role == "officer" else 403 for role in ROLES}


def _needing(w):
    return {"pk": w["data_needing"].pk}


MATRIX = {
    "ideas:data_needs": Case(owner_only(200), kwargs=_needing),
    # The officer's POST runs first and removes the need; the others are refused before anything is looked up.
    "ideas:data_need_remove": Case(owner_only(302), method="post",
                                   kwargs=lambda w: {"pk": w["data_needing"].pk, "dependency_pk": w["data_need"].pk}),
}
