"""Notification pages: thin views over selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import selectors, services
from .forms import PreferencesForm, UnsubscribeForm
from .kinds import KINDS
from .models import Channel, Notification
from .tokens import read_token

PAGE_SIZE = 25


def _back_to_list(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@require_safe
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page": page,
        "unread": selectors.unread_count(request),
        "here": request.get_full_path(),
    })


@require_POST
def mark_read(request, pk: int):
    try:
        services.notification_mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404("No such notification.") from None
    return _back_to_list(request)


@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return _back_to_list(request)


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    current = selectors.preferences_for(request.user)
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_set(user=request.user, choices=form.cleaned_data)
        except services.NotificationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your notification preferences have been saved.")
            return redirect("notifications:preferences")
    fixed = [(info.question, info.hint) for info in KINDS.values() if info.fixed]
    return render(request, "notifications/preferences.html", {"form": form, "fixed": fixed})


# The signed token is the authority here, not a session: it lets one person switch
# off one kind of email. CSRF protection would add nothing (a forger needs the
# token) and would break mail clients' one-click unsubscribe (RFC 8058).
@csrf_exempt
@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    found = read_token(token)
    if found is None or found[1] not in KINDS or KINDS[found[1]].fixed:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    user_id, kind = found
    question = KINDS[kind].question
    context = {"question": question[0].lower() + question[1:], "form": UnsubscribeForm(), "done": False,
               "preferences_url": reverse("notifications:preferences")}
    if request.method == "POST":
        try:
            services.unsubscribe(user_id=user_id, kind=kind)
        except services.NotificationError:
            return render(request, "notifications/unsubscribe_invalid.html", status=404)
        context["done"] = True
    else:
        context["already"] = services.preference_of(user_id=user_id, kind=kind) == Channel.OFF
    return render(request, "notifications/unsubscribe.html", context)
