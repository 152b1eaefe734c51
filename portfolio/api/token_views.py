"""Pages for API tokens: your tokens (and, for admins, everyone's), make one, revoke one."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from harrow_innovation.people.roles import is_admin

from ..models import ApiToken
from ..permissions import can_use_api
from ..views.common import require
from .token_forms import ApiTokenForm
from .tokens import TokenError, api_token_create, api_token_revoke, can_manage_token


@require_safe
def tokens(request):
    require(can_use_api(request.user))
    admin = is_admin(request.user)
    everyone = None
    if admin:  # tokens still working, so an admin can spot one to revoke
        everyone = (ApiToken.objects.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
                    .exclude(user=request.user).select_related("user").order_by("user__full_name", "-created_at"))
    return render(request, "portfolio/api_tokens/list.html", {
        "own": ApiToken.objects.filter(user=request.user), "everyone": everyone, "is_admin": admin,
        "now": timezone.now(), "lifetime_days": settings.API_TOKEN_LIFETIME_DAYS,
    })


@require_http_methods(["GET", "POST"])
@never_cache
def token_new(request):
    require(can_use_api(request.user))
    form = ApiTokenForm(request.POST if request.method == "POST" else None, for_admin=is_admin(request.user))
    if form.is_bound and form.is_valid():
        owner = form.cleaned_data.get("account") or request.user
        try:
            token = api_token_create(user=owner, name=form.cleaned_data["name"], by=request.user)
        except TokenError as exc:
            form.add_error("account" if owner != request.user else None, exc.message)
        else:
            return render(request, "portfolio/api_tokens/created.html", {"token": token})
    return render(request, "portfolio/api_tokens/new.html",
                  {"form": form, "lifetime_days": settings.API_TOKEN_LIFETIME_DAYS})


@require_http_methods(["GET", "POST"])
def token_revoke(request, pk: int):
    token = ApiToken.objects.select_related("user").filter(pk=pk).first()
    if token is None or not can_manage_token(request.user, token):
        raise Http404("No such token")
    if request.method == "POST":
        try:
            api_token_revoke(token_id=token.pk, by=request.user)
        except TokenError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"The token “{token.name}” has been revoked. Programs using it can no longer read the API.")
        return redirect("api:tokens")
    return render(request, "portfolio/api_tokens/revoke.html",
                  {"token": token, "own": token.user_id == request.user.pk})
