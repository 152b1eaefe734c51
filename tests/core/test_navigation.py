"""The header's links: reversed once, and still right under a URL prefix or another URLconf."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import path, reverse, set_script_prefix

from harrow_innovation.core.navigation import url_for

pytestmark = pytest.mark.django_db


def test_chrome_links_match_reverse():
    for name in ("home", "start", "logout", "accessibility", "privacy", "ideas:list"):
        assert url_for(name) == reverse(name)


def test_chrome_links_keep_the_script_prefix():
    try:
        set_script_prefix("/innovation/")
        assert url_for("ideas:list") == "/innovation/ideas/"
    finally:
        set_script_prefix("/")
    assert url_for("ideas:list") == "/ideas/"


urlpatterns = [path("elsewhere/", lambda request: None, name="home")]


def test_chrome_links_follow_the_urlconf_in_force():
    assert url_for("home") == "/home/"
    with override_settings(ROOT_URLCONF=__name__):
        assert url_for("home") == "/elsewhere/"
    assert url_for("home") == "/home/"
