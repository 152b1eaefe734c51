"""Drafting and submitting ideas: a draft is known only to its owners (everyone else gets 404)."""

from tests.permission_matrix import LOGIN, ROLES, Case, everyone


def owner_only(ok=200, others=404):
    return {role: LOGIN if role == "anonymous" else ok if role == "officer" else others for role in ROLES}


def draft(w):
    return {"pk": w["drafting_draft"].pk}


def blank_save(w):
    return {"action": "later"}


MATRIX = {
    "ideas:new": Case(everyone(200)),
    "ideas:similar": Case(everyone(200), data=lambda w: {"title": "Online requests for repairs"}),
    "ideas:task_list": Case(owner_only(), kwargs=draft),
    "ideas:edit_section": Case(owner_only(), kwargs=lambda w: {"pk": w["drafting_draft"].pk, "section": "business-case"}),
    "ideas:check": Case(owner_only(), kwargs=draft),
    # Everyone may see the submitted idea, but the confirmation is the owner's.
    "ideas:submitted": Case(owner_only(others=403), kwargs=lambda w: {"pk": w["submitted"].pk}),
    # The officer's POST runs first and changes the draft; the others never learn it exists.
    "ideas:system_set": Case(owner_only(302), kwargs=draft, method="post", data=blank_save),
    "ideas:system_remove": Case(
        owner_only(302), method="post", kwargs=lambda w: {"pk": w["drafting_draft"].pk, "link_pk": w["drafting_link"].pk}
    ),
    "ideas:data_output_add": Case(owner_only(302), kwargs=draft, method="post", data=blank_save),
    "ideas:data_output_remove": Case(
        owner_only(302), method="post",
        kwargs=lambda w: {"pk": w["drafting_draft"].pk, "output_pk": w["drafting_output"].pk},
    ),
    "ideas:co_owner_add": Case(owner_only(302), kwargs=draft, method="post", data=blank_save),
    "ideas:co_owner_remove": Case(
        owner_only(302), method="post",
        kwargs=lambda w: {"pk": w["drafting_draft"].pk, "user_pk": w["drafting_co_owner"].pk},
    ),
    "ideas:attachment_add": Case(owner_only(302), kwargs=draft, method="post", data=blank_save),
    "ideas:attachment_remove": Case(
        owner_only(302), method="post",
        kwargs=lambda w: {"pk": w["drafting_draft"].pk, "attachment_pk": w["drafting_attachment"].pk},
    ),
    "ideas:resource_ask_set": Case(owner_only(302), kwargs=draft, method="post", data=blank_save),
    "ideas:resource_ask_remove": Case(
        owner_only(302), method="post",
        kwargs=lambda w: {"pk": w["drafting_draft"].pk, "ask_pk": w["capacity_ask"].pk},
    ),
    "ideas:external_resource_add": Case(owner_only(302), kwargs=draft, method="post", data=blank_save),
    "ideas:external_resource_remove": Case(
        owner_only(302), method="post",
        kwargs=lambda w: {"pk": w["drafting_draft"].pk, "item_pk": w["capacity_partner"].pk},
    ),
    # A confidential idea's file: its owner, its assigned reviewer, the secretary, Board members and admins.
    "ideas:attachment_download": Case(
        {**everyone(200), "officer_other": 404},
        kwargs=lambda w: {"pk": w["confidential"].pk, "attachment_pk": w["confidential_attachment"].pk},
    ),
}
