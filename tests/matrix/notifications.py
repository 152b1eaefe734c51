"""Notification pages: everyone signed in has their own; unsubscribing needs only the emailed link."""

from tests.permission_matrix import LOGIN, PUBLIC, ROLES, Case, everyone

MATRIX = {
    "notifications:list": Case(everyone(200)),
    "notifications:preferences": Case(everyone(200)),
    # Only its recipient may mark a notification read; to anyone else it does not exist.
    "notifications:read": Case(
        {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN, "officer": 302},
        kwargs=lambda w: {"pk": w["notification"].pk},
        method="post",
    ),
    "notifications:read_all": Case(everyone(302), method="post"),
    "notifications:unsubscribe": Case(PUBLIC, kwargs=lambda w: {"token": w["unsubscribe_token"]}),
}
