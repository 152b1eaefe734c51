"""An idea's data needs: its owners edit them (others who may see the idea get 403, the rest 404)."""

from tests.permission_matrix import LOGIN, ROLES, Case, everyone


def owner_only(ok):
    return {role: LOGIN if role == "anonymous" else ok if role == "officer" else 403 for role in ROLES}


def _needing(w):
    return {"pk": w["data_needing"].pk}


MATRIX = {
    "ideas:data_needs": Case(owner_only(200), kwargs=_needing),
    # The officer's POST runs first and removes the need; the others are refused before anything is looked up.
    "ideas:data_need_remove": Case(owner_only(302), method="post",
                                   kwargs=lambda w: {"pk": w["data_needing"].pk, "dependency_pk": w["data_need"].pk}),
    # The API: any member of staff, seeing the needs between ideas they may see (anonymous: 403 JSON).
    "api:data-need-list": Case(everyone(200, anonymous=403)),
    "api:data-need-detail": Case(everyone(200, anonymous=403), kwargs=lambda w: {"pk": w["data_need_api"].pk}),
}
