"""Every form a person submits, and where it must post and land: what the form guard checks.

A form is named by its ``data-form`` attribute: on the ``<form>`` tag in a template, or in
the crispy helper's ``attrs`` for a form that ``{% crispy %}`` draws with its own tag.
tests/core/test_form_registry.py fails when a template has a form this registry does not
name, or the registry names a form no template has. The browser tests record every form
submitted through its own button (tests/browser/form_tracker.py), and
tests/browser/test_form_coverage.py fails a whole browser run that left one out.

``posts_to``: the URL names the form's action may resolve to (a form with no action posts
to the page it is on: the minutes page once answered such a form with HTTP 405).
``lands``: the URL names a successful submission ends on. A POST counts as successful
when it redirects there (or, with ``renders=True``, answers there itself); answering at
its own URL without a redirect is the page showing errors: allowed, not counted.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Form:
    template: str
    posts_to: frozenset[str]
    lands: frozenset[str]
    crispy: str = ""  # the context variable {% crispy %} renders, for a form crispy draws
    renders: bool = False


def form(template: str, posts_to, lands=None, *, crispy: str = "", renders: bool = False) -> Form:
    def names(value) -> frozenset[str]:
        return frozenset([value] if isinstance(value, str) else value)

    return Form(template, names(posts_to), names(posts_to if lands is None else lands), crispy, renders)


SECTION = ("ideas:edit_section", "ideas:task_list", "ideas:check")

REGISTRY: dict[str, Form] = {
    # Accounts and the header
    "sign_in": form("registration/login.html", "login", "home", crispy="form"),
    "sign_out": form("includes/service_navigation.html", "logout", "login"),
    "password_reset": form("registration/password_reset_form.html", "password_reset", "password_reset_done",
                           crispy="form"),
    "password_set": form("registration/password_reset_confirm.html", "password_reset_confirm",
                         "password_reset_complete", crispy="form"),
    # Drafting and submitting an idea
    "idea_new": form("ideas/drafting/new.html", "ideas:new", "ideas:task_list"),
    "draft_section": form("ideas/drafting/section.html", "ideas:edit_section", SECTION),
    "draft_list_add": form("ideas/drafting/section_list.html",
                           ("ideas:system_set", "ideas:data_output_add", "ideas:co_owner_add", "ideas:attachment_add",
                            "ideas:resource_ask_set", "ideas:external_resource_add"),
                           SECTION),
    "draft_system_remove": form("ideas/drafting/section_central_systems.html", "ideas:system_remove",
                                "ideas:edit_section"),
    "draft_resource_ask_remove": form("ideas/drafting/section_resources.html", "ideas:resource_ask_remove",
                                      "ideas:edit_section"),
    "draft_external_resource_remove": form("ideas/drafting/section_partners.html", "ideas:external_resource_remove",
                                           "ideas:edit_section"),
    "draft_data_output_remove": form("ideas/drafting/section_data_outputs.html", "ideas:data_output_remove",
                                     "ideas:edit_section"),
    "draft_co_owner_remove": form("ideas/drafting/section_people.html", "ideas:co_owner_remove",
                                  ("ideas:edit_section", "home")),
    "draft_attachment_remove": form("ideas/drafting/section_attachments.html", "ideas:attachment_remove",
                                    "ideas:edit_section"),
    "idea_submit": form("ideas/drafting/check.html", "ideas:check", "ideas:submitted"),
    # Browsing ideas
    "ideas_filter": form("ideas/browsing/list.html", "ideas:list"),
    "idea_move": form("ideas/browsing/detail.html", "ideas:move", "ideas:detail"),
    "idea_follow": form("ideas/browsing/detail.html", "ideas:follow", "ideas:detail"),
    "idea_comment": form("ideas/browsing/detail.html", "ideas:comment", "ideas:detail"),
    # Joining up ideas (issue 13)
    "join_request": form("ideas/joining/join.html", "ideas:join_request", "ideas:detail"),
    "join_answer": form("ideas/joining/answer.html", "ideas:join_answer", "ideas:detail"),
    "idea_link_add": form("ideas/joining/link.html", "ideas:link_add", "ideas:detail"),
    "idea_link_remove": form("ideas/browsing/_joining.html", "ideas:link_remove", "ideas:detail"),
    "idea_merge": form("ideas/joining/merge.html", "ideas:merge", "ideas:detail"),
    # An idea's data needs (the other ideas' data it depends on)
    "data_need_find": form("ideas/data_needs.html", "ideas:data_needs"),
    "data_need_add": form("ideas/data_needs.html", "ideas:data_needs"),
    "data_need_remove": form("ideas/data_needs.html", "ideas:data_need_remove", "ideas:data_needs"),
    # Reviewing
    "assign_reviewer": form("ideas/reviewing/assign.html", "ideas:assign_reviewers", crispy="form"),
    "review_cancel": form("ideas/reviewing/assign.html", "ideas:review_cancel", "ideas:assign_reviewers"),
    "review": form("ideas/reviewing/review.html", "ideas:review", "ideas:review_queue", crispy="form"),
    "ranking_filter": form("ideas/reviewing/ranked.html", "ideas:ranked", crispy="form"),
    # Board meetings
    "meeting": form("board/meetings/form.html", ("board:meeting_new", "board:meeting_edit"), "board:meeting",
                    crispy="form"),
    "meeting_held": form("board/meetings/detail.html", "board:meeting_held", "board:meeting"),
    "meeting_minutes_draft": form("board/meetings/detail.html", "board:minutes_edit",
                                  ("board:minutes_edit", "board:minutes")),
    "agenda_add_idea": form("board/meetings/agenda.html", "board:agenda_add_idea", "board:agenda"),
    "agenda_add_item": form("board/meetings/agenda.html", "board:agenda_add_free", "board:agenda", crispy="free_form"),
    "agenda_item_move": form("board/meetings/agenda.html", "board:agenda_item_move", "board:agenda"),
    "agenda_item_remove": form("board/meetings/agenda.html", "board:agenda_item_remove", "board:agenda"),
    "agenda_publish": form("board/meetings/agenda.html", "board:meeting_publish", ("board:meeting", "board:agenda")),
    "return_parked": form("board/meetings/agenda.html", "board:return_parked", "board:agenda"),
    "agenda_item": form("board/meetings/item_form.html", ("board:agenda_add_free", "board:agenda_item_edit"),
                        "board:agenda", crispy="form"),
    "declare": form("board/meetings/declare.html", "board:declare", "board:meeting", crispy="form"),
    "apologies": form("board/meetings/apologies.html", "board:apologies", "board:meeting", crispy="form"),
    "apologies_withdraw": form("board/meetings/apologies.html", "board:apologies", "board:meeting"),
    "attendance": form("board/meetings/attendance.html", "board:attendance", "board:meeting", crispy="form"),
    "decision": form("board/meetings/decide.html", "board:decide", "board:meeting"),
    "action": form("board/actions/form.html", ("board:action_new", "board:action_edit"),
                   ("board:meeting", "board:actions"), crispy="form"),
    "minutes": form("board/minutes/edit.html", "board:minutes_edit", "board:minutes", crispy="form"),
    "minutes_draft": form("board/minutes/edit.html", "board:minutes_edit", ("board:minutes_edit", "board:minutes")),
    "minutes_redraft": form("board/minutes/edit.html", "board:minutes_edit", "board:minutes_edit"),
    "minutes_page_draft": form("board/minutes/detail.html", "board:minutes_edit", ("board:minutes_edit", "board:minutes")),
    "minutes_approve": form("board/minutes/detail.html", "board:minutes_approve", "board:minutes",
                            crispy="approve_form"),
    "decision_search": form("board/decisions.html", "board:decisions", crispy="search_form"),
    # The new address is shown once, on the page itself, so these answer without a redirect.
    "calendar_address_create": form("board/calendar.html", "board:calendar", renders=True),
    "calendar_address_renew": form("board/calendar.html", "board:calendar", renders=True),
    "calendar_address_revoke": form("board/calendar_revoke.html", "board:calendar_revoke",
                                    ("board:calendar", "board:calendar_addresses")),
    "pack_retry": form("board/packs/_versions.html", "board:pack_retry", ("board:meeting", "board:pack_status")),
    # Portfolio
    "api_token_create": form("portfolio/api_tokens/new.html", "api:token_new", crispy="form", renders=True),
    "api_token_revoke": form("portfolio/api_tokens/revoke.html", "api:token_revoke", "api:tokens"),
    "systems_sort": form("portfolio/systems.html", "portfolio:systems"),
    "data_outputs_filter": form("portfolio/data_register.html", "portfolio:data_outputs", crispy="form"),
    "prioritisation_filter": form("portfolio/prioritisation.html", "portfolio:prioritisation", crispy="form"),
    "dashboards_filter": form("portfolio/dashboards.html", "portfolio:dashboards", crispy="form"),
    "export_filter": form("portfolio/export.html", "portfolio:export", crispy="form"),
    "team_capacity": form("portfolio/capacity_team.html", "portfolio:capacity_team"),
    "delivery_update": form("portfolio/delivery_form.html", "portfolio:delivery_update_add",
                            "portfolio:delivery_idea", crispy="form"),
    "benefit": form("portfolio/delivery_form.html", "portfolio:benefit_add", "portfolio:delivery_idea",
                    crispy="form"),
    # Notifications
    "notification_read": form("notifications/list.html", "notifications:read", "notifications:list"),
    "notifications_read_all": form("notifications/list.html", "notifications:read_all", "notifications:list"),
    "notification_preferences": form("notifications/preferences.html", "notifications:preferences", crispy="form"),
    "unsubscribe": form("notifications/unsubscribe.html", "notifications:unsubscribe", crispy="form", renders=True),
}
