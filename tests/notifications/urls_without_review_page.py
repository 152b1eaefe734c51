"""A URLconf in which the ideas app's review page has lost its name, as a careless rename would leave it."""

from django.http import HttpResponse
from django.urls import include, path


def page(request, **kwargs):
    return HttpResponse("")


ideas_without_review = ([path("<int:pk>/", page, name="detail")], "ideas")

urlpatterns = [
    path("", page, name="home"),
    path("ideas/", include(ideas_without_review)),
]
