"""A person's calendar feed of Board meetings: make its secret address, stop it, serve it.

The address is shown once, on the page that makes it; only its digest is stored.
Admins see who has an address and can stop anyone's.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from board import feed_tokens, permissions, selectors
from board.calendar import feed_ics
from board.models import CalendarFeedToken
from board.services import BoardError
from harrow_innovation.people.roles import is_admin


@require_http_methods(["GET", "POST"])
@never_cache
def calendar(request):
    """GET: whether you have an address. POST: make a new one and show it, this once."""
    if not permissions.can_subscribe_calendar(request.user):
        raise PermissionDenied
    made = None
    if request.method == "POST":
        try:
            made = feed_tokens.calendar_token_reset(user=request.user)
        except BoardError as exc:  # pragma: no cover - the permission check above already refuses
            messages.error(request, exc.message)
            return redirect("board:calendar")
    token = made or CalendarFeedToken.objects.filter(user=request.user).first()
    feed_url = request.build_absolute_uri(reverse("board:calendar_feed", kwargs={"token": made.secret})) if made else ""
    return render(request, "board/calendar.html",
                  {"token": token, "feed_url": feed_url, "is_admin": is_admin(request.user)})


@require_http_methods(["GET", "POST"])
def calendar_revoke(request, pk: int):
    """Confirm, then stop an address: your own, or anyone's if you are an admin."""
    token = CalendarFeedToken.objects.select_related("user").filter(pk=pk).first()
    if token is None or not feed_tokens.can_stop_calendar_token(request.user, token):
        raise Http404("No such calendar address")
    own = token.user_id == request.user.pk
    back = "board:calendar" if own else "board:calendar_addresses"
    if request.method == "POST":
        try:
            owner = feed_tokens.calendar_token_revoke(token_id=token.pk, by=request.user)
        except BoardError as exc:
            messages.error(request, exc.message)
        else:
            whose = "Your" if own else f"{owner}'s"
            messages.success(request, f"{whose} calendar address has stopped working.")
        return redirect(back)
    return render(request, "board/calendar_revoke.html", {"token": token, "own": own, "back": back})


@require_safe
def calendar_addresses(request):
    """For admins: everyone who has a calendar address, to stop one that has leaked."""
    if not is_admin(request.user):
        raise PermissionDenied
    tokens = CalendarFeedToken.objects.select_related("user").order_by("user__full_name", "pk")
    return render(request, "board/calendar_addresses.html", {"tokens": tokens})


@require_safe
@login_not_required
@never_cache
def calendar_feed(request, token: str):
    """A person's feed of all Board meetings, for calendar apps (no session: the secret address is the key)."""
    if feed_tokens.calendar_token_for_secret(token) is None:
        raise Http404
    response = HttpResponse(feed_ics(selectors.meetings_for_feed()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="innovation-board.ics"'
    return response


urlpatterns = [
    path("calendar/", calendar, name="calendar"),
    path("calendar/addresses/", calendar_addresses, name="calendar_addresses"),
    path("calendar/addresses/<int:pk>/stop/", calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
]
