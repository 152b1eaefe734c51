"""One money formatter for pages, PDFs, emails and text: "-£5,000", "£1,234.50"."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import engines
from django.utils import timezone

from harrow_innovation.core.money import format_money

D = Decimal


@pytest.mark.parametrize(("value", "expected"), [
    (D("5000"), "£5,000"),
    (D("-5000"), "-£5,000"),
    (D("1234.50"), "£1,234.50"),
    (D("-1234.5"), "-£1,234.50"),
    (D("1234.00"), "£1,234"),
    (D("0.05"), "£0.05"),
    (D("-0.05"), "-£0.05"),
    (D("0"), "£0"),
    (D("-0.001"), "£0"),
    (D("0.005"), "£0.01"),
    (D("2.675"), "£2.68"),
    (D("9999999999.99"), "£9,999,999,999.99"),
    (D("1234567890123"), "£1,234,567,890,123"),
    (12000, "£12,000"),
    (-3, "-£3"),
    (1.5, "£1.50"),
    ("250000", "£250,000"),
])
def test_amounts(value, expected):
    assert format_money(value) == expected


@pytest.mark.parametrize(("value", "pence", "expected"), [
    (D("5000"), True, "£5,000.00"),
    (D("-5000"), True, "-£5,000.00"),
    (D("1234.56"), False, "£1,235"),
    (D("-1234.49"), False, "-£1,234"),
    (D("-0.4"), False, "£0"),
    (D("1234.5"), None, "£1,234.50"),
])
def test_pence_on_request(value, pence, expected):
    assert format_money(value, pence=pence) == expected


def test_no_amount_is_written_as_the_caller_asks():
    assert format_money(None) == ""
    assert format_money("") == ""
    assert format_money(None, missing="Not given") == "Not given"


@pytest.mark.parametrize("value", ["lots", "NaN", D("Infinity"), float("nan")])
def test_something_that_is_not_money_is_refused(value):
    with pytest.raises(ValueError, match="Not an amount of money"):
        format_money(value)


def test_template_filters_are_the_same_formatter():
    engine = engines["django"]
    core = engine.from_string('{% load money %}{{ a|money }}|{{ b|money }}|{{ n|money:"Not given" }}')
    portfolio = engine.from_string('{% load portfolio_tags money %}{{ a|money:"–" }}|{{ b|money:"–" }}|{{ n|money:"–" }}')
    context = {"a": D("-5000"), "b": D("1234.5"), "n": None}
    assert core.render(context) == "-£5,000|£1,234.50|Not given"
    assert portfolio.render(context) == "-£5,000|£1,234.50|–"


def test_short_axis_labels_put_the_minus_first():
    from portfolio.charts import money_short

    assert [money_short(v) for v in (-5000, -1_500_000, -950, 0, -0.2, 999_999)] == [
        "-£5k", "-£1.5m", "-£950", "£0", "£0", "£1m"]


@pytest.mark.django_db
def test_pack_portfolio_check_answers_and_timeline_agree(people, client):
    """The same amounts written by the agenda pack, the portfolio, check your answers and the Board's timeline text."""
    from board.pack_builder import paper_context
    from board.services import Resources
    from portfolio import services as portfolio_services
    from tests.portfolio.builders import idea
    from tests.world_extras.board import idea_item_on, make_board, past_meeting

    officer = people["officer"]
    costly = idea(officer, "ready-for-board", title="Costs more than it saves", one_off="1234.5", recurring="6000",
                  savings="1000")
    item = idea_item_on(past_meeting(make_board(people), people["secretary"]), costly)
    costs = dict(paper_context(item, number=1)["costs"])
    assert costs["Net saving per year"] == "-£5,000" == format_money(D("1000") - D("6000"))
    assert costs["One-off cost"] == "£1,234.50"
    assert costs["Recurring cost per year"] == "£6,000"

    portfolio_filter = engines["django"].from_string('{% load portfolio_tags money %}{{ v|money:"–" }}')
    assert portfolio_filter.render({"v": D("1000") - D("6000")}) == "-£5,000"

    assert Resources(budget=D("25000.5")).describe() == "Budget: £25,000.50."

    delivered = idea(officer, "delivered", title="Delivered")
    portfolio_services.benefit_record_add(idea_id=delivered.pk, by=officer, period=timezone.localdate(),
                                          cash_realised=D("1234567.5"))
    from ideas.models import IdeaEvent

    assert IdeaEvent.objects.filter(idea=delivered, summary__endswith=": £1,234,567.50").exists()

    draft = idea(officer, "draft", title="A draft", one_off="1234.5", recurring="6000", savings="1000")
    client.force_login(officer)
    page = client.get(f"/ideas/{draft.pk}/check/").content.decode()
    assert "£1,234.50" in page and "£6,000" in page


def test_money_is_written_by_one_function_and_one_filter():
    """Only core.money writes "£" before a number (the charts' short axis labels aside), and only
    one template filter, core's ``money``, formats amounts."""
    import ast
    from pathlib import Path

    from django.template.backends.django import get_installed_libraries
    from django.template.library import import_library

    root = Path(__file__).resolve().parents[2]
    allowed = {("harrow_innovation/core/money.py", "format_money"), ("portfolio/charts.py", "money_short")}
    writers = []
    for app in ("ideas", "board", "portfolio", "notifications", "harrow_innovation"):
        for path in (root / app).rglob("*.py") if (root / app).is_dir() else []:
            name = str(path.relative_to(root))
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
                for node in ast.walk(function):
                    pieces = node.values if isinstance(node, ast.JoinedStr) else []
                    for before, after in zip(pieces, pieces[1:], strict=False):
                        if (isinstance(before, ast.Constant) and str(before.value).endswith("£")
                                and isinstance(after, ast.FormattedValue) and (name, function.name) not in allowed):
                            writers.append(f"{name}:{node.lineno} {function.name}")
    assert not writers, f"Use harrow_innovation.core.money.format_money: {sorted(set(writers))}"
    money_filters = [label for label, module in get_installed_libraries().items()
                     if "money" in import_library(module).filters]
    assert money_filters == ["money"], money_filters
