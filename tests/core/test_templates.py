"""No template leaks its own comments into the page.

Django's `{# … #}` comment is single-line only: one that spans lines is printed as text.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from django.core.paginator import Paginator
from django.template import engines
from django.template.base import Lexer, TokenType
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import make_idea

PROJECT = Path(__file__).resolve().parents[2]


def _template_files():
    """Every template of the project's own (installed packages' templates are theirs to fix)."""
    seen = set()
    for directory in engines["django"].template_dirs:
        root = Path(directory).resolve()
        if not root.is_dir() or PROJECT not in root.parents or ".venv" in root.parts:
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix in {".html", ".txt", ".xml", ".ics"} and path not in seen:
                seen.add(path)
                yield path


def test_the_project_has_templates_to_check():
    names = {path.name for path in _template_files()}
    assert {"base.html", "pagination.html", "notice.txt"} <= names


@pytest.mark.parametrize("path", list(_template_files()), ids=lambda p: str(p.relative_to(PROJECT)))
def test_no_comment_reaches_the_output(path):
    # Text tokens are what Django prints as they are; a comment marker in one is a
    # comment that Django did not recognise (most often a `{#` that runs over a line).
    tokens = Lexer(path.read_text()).tokenize()
    for token in tokens:
        if token.token_type == TokenType.TEXT:
            assert "{#" not in token.contents, f"{path}:{token.lineno} has a multi-line {{# #}} comment"
            assert "#}" not in token.contents, f"{path}:{token.lineno} has a stray #}}"


def test_the_pagination_include_prints_no_comment_text():
    page = Paginator(list(range(60)), 25).page(2)
    template = engines["django"].get_template("includes/pagination.html")
    html = template.render({"page": page}, RequestFactory().get("/ideas/?page=2"))
    assert 'class="govuk-pagination"' in html
    assert "{#" not in html and "#}" not in html
    assert "pagination component" not in html


@pytest.mark.django_db
def test_a_paginated_list_ends_without_raw_template_text(people):
    for i in range(26):
        make_idea(people["officer"], at="submitted", title=f"Numbered idea {i:02d}")
    client = Client()
    client.force_login(people["officer"])
    html = client.get(reverse("ideas:list")).content.decode()
    assert 'class="govuk-pagination"' in html
    assert "{#" not in html and "#}" not in html
    assert "pagination component" not in html
