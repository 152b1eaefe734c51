from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .navigation import items_for


def service(request):
    return {
        "SERVICE_NAME": "Harrow Innovation Pipeline",
        "OIDC_ENABLED": getattr(settings, "OIDC_ENABLED", False),
        "NAVIGATION": SimpleLazyObject(lambda: items_for(request)),
    }
