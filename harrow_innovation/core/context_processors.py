from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .navigation import items_for
from .text import LONG_TEXT_MAX


def service(request):
    return {
        "SERVICE_NAME": "Harrow Innovation Pipeline",
        "OIDC_ENABLED": getattr(settings, "OIDC_ENABLED", False),
        "NAVIGATION": SimpleLazyObject(lambda: items_for(request)),
        "LONG_TEXT_MAX": LONG_TEXT_MAX,  # for textareas written out by hand with a character count
    }
