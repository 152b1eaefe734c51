"""Selectors take keyword-only arguments (``def x(*, user, ...)``), so a call says what each value is."""

from __future__ import annotations

import inspect

import pytest

from board import selectors as board_selectors
from ideas import selectors as ideas_selectors
from portfolio import selectors as portfolio_selectors


def public_functions(module) -> list:
    return [
        value for name, value in vars(module).items()
        if inspect.isfunction(value) and not name.startswith("_") and value.__module__.startswith(module.__name__)
    ]


@pytest.mark.parametrize("module", [ideas_selectors, board_selectors, portfolio_selectors], ids=lambda m: m.__name__)
def test_every_selector_takes_keyword_only_arguments(module):
    functions = public_functions(module)
    assert len(functions) >= 10
    positional = [
        f"{f.__module__}.{f.__name__}{inspect.signature(f)}" for f in functions
        if any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
               for p in inspect.signature(f).parameters.values())
    ]
    assert positional == []
