"""Portfolio pages, exports and the API.

Portfolio pages are for Board members, the secretary and admins; the data register,
department data pages and the data flow matrix are for all staff. Exports and
the API are for any member of staff with a role (each sees what they may see);
meetings and decisions in the API only for Board readers. The API answers
anonymous requests with 403 (JSON), not a redirect to sign in.
"""

from tests.permission_matrix import Case, everyone, only

READERS = {"secretary", "board_member", "admin"}
PAGES = only(READERS)
API = everyone(200, anonymous=403)
BOARD_API = only(READERS, anonymous=403)


def _delivery(world):
    return {"pk": world["portfolio_delivery"].pk}


OWNER_ONLY = {"anonymous": "login", "officer": 200, "officer_other": 403, "reviewer": 403, "secretary": 403,
              "board_member": 403, "admin": 403}

MATRIX = {
    "portfolio:overview": Case(PAGES),
    "portfolio:systems": Case(PAGES),
    "portfolio:system": Case(PAGES, kwargs=lambda w: {"slug": w["system"].slug}),
    # The data register, the flow matrix and department pages: all staff (each sees the ideas they may see).
    "portfolio:data_outputs": Case(everyone(200)),
    "portfolio:data_matrix": Case(everyone(200)),
    "portfolio:department_data": Case(everyone(200), kwargs=lambda w: {"slug": w["portfolio_department"].slug}),
    "portfolio:prioritisation": Case(PAGES),
    "portfolio:delivery": Case(PAGES),
    "portfolio:my_delivery": Case(everyone(200)),
    # The owner and portfolio readers; another officer can see the idea but not its delivery page.
    "portfolio:delivery_idea": Case({**PAGES, "officer": 200}, kwargs=_delivery),
    "portfolio:delivery_update_add": Case(OWNER_ONLY, kwargs=_delivery),
    "portfolio:benefit_add": Case(OWNER_ONLY, kwargs=_delivery),
    "portfolio:dashboards": Case(PAGES),
    # Staff capacity: portfolio readers see every team; a team's page is its manager's (the officer) and admins'.
    "portfolio:capacity": Case(PAGES),
    "portfolio:capacity_csv": Case(PAGES),
    "portfolio:capacity_xlsx": Case(PAGES),
    "portfolio:capacity_teams": Case(everyone(200)),
    "portfolio:capacity_team": Case(only({"officer", "admin"}), kwargs=lambda w: {"pk": w["capacity_team"].pk}),
    "portfolio:export": Case(everyone(200)),
    "portfolio:export_csv": Case(everyone(200)),
    "portfolio:export_xlsx": Case(everyone(200)),
    "portfolio:export_overlaps_csv": Case(only({"secretary", "admin"})),
    "portfolio:export_overlaps_xlsx": Case(only({"secretary", "admin"})),
    # API
    "api:docs": Case(everyone(200)),
    # API tokens: everyone with a role makes their own; the officer's token is theirs and admins' to revoke.
    "api:tokens": Case(everyone(200)),
    "api:token_new": Case(everyone(200)),
    "api:token_revoke": Case({**everyone(404), "officer": 200, "admin": 200}, kwargs=lambda w: {"pk": w["api_token"].pk}),
    "api:schema": Case(API),
    "api:idea-list": Case(API),
    "api:idea-detail": Case(API, kwargs=lambda w: {"pk": w["submitted"].pk}),
    "api:stage-list": Case(API),
    "api:stage-detail": Case(API, kwargs=lambda w: {"pk": w["portfolio_stage"].pk}),
    "api:review-total-list": Case(API),
    "api:review-total-detail": Case(API, kwargs=lambda w: {"pk": w["submitted"].pk}),
    "api:meeting-list": Case(BOARD_API),
    "api:meeting-detail": Case(BOARD_API, kwargs=lambda w: {"pk": w["portfolio_meeting"].pk}),
    "api:decision-list": Case(BOARD_API),
    "api:decision-detail": Case(BOARD_API, kwargs=lambda w: {"pk": w["portfolio_decision"].pk}),
    "api:central-system-list": Case(API),
    "api:central-system-detail": Case(API, kwargs=lambda w: {"pk": w["system"].pk}),
    "api:data-output-list": Case(API),
    "api:data-output-detail": Case(API, kwargs=lambda w: {"pk": w["portfolio_output"].pk}),
    "api:team-capacity-list": Case(BOARD_API),
    "api:team-capacity-detail": Case(BOARD_API, kwargs=lambda w: {"pk": w["capacity_team"].pk}),
}

# Links and merges (issue 13): the world's link is from the confidential idea, which an officer of
# another department may not see, so for them it does not exist.
MATRIX |= {
    "api:idea-link-list": Case(API),
    "api:idea-link-detail": Case({**API, "officer_other": 404}, kwargs=lambda w: {"pk": w["confidential_link"].pk}),
    "api:idea-merge-list": Case(API),
    "api:idea-merge-detail": Case(API, kwargs=lambda w: {"pk": w["idea_merge"].pk}),
    # Overlaps of an idea: the confidential idea's, so as on its page, those who may not see it get 404.
    "api:idea-overlaps": Case(
        {**API, "officer_other": 404}, kwargs=lambda w: {"pk": w["confidential"].pk}
    ),
}
