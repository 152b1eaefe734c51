from django.urls import path

from . import views

urlpatterns = [
    path("", views.start, name="start"),
    path("home/", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]
