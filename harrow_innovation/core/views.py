from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .health import broker_state, database_state


@require_safe
@login_not_required
def start(request):
    """The start page: what the service is for, and a way in."""
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "core/start.html")


@require_safe
def home(request):
    return render(request, "core/home.html")


@require_safe
@login_not_required
@never_cache
def healthz(request):
    database = database_state()
    body = {"status": "ok" if database == "ok" else "unavailable", "database": database, "broker": broker_state()}
    return JsonResponse(body, status=200 if database == "ok" else 503)


@require_safe
@login_not_required
def accessibility(request):
    return render(request, "core/accessibility.html")


@require_safe
@login_not_required
def privacy(request):
    return render(request, "core/privacy.html")


@login_not_required
def csrf_failure(request, reason: str = ""):
    return render(request, "errors/csrf.html", status=403)


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@login_not_required
def server_error(request):
    # No context processors that touch the database: the fault may be there.
    import sys

    from django.http import HttpResponseServerError
    from django.template import loader

    from .middleware import is_database_outage, service_unavailable

    # Django calls this inside its exception handler, so the error is still current. A database
    # that went away while middleware loaded the session arrives here, not at process_exception.
    if is_database_outage(sys.exc_info()[1]):
        return service_unavailable(request)
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render({"SERVICE_NAME": "Harrow Innovation Pipeline"}))
