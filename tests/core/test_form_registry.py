"""The form registry names every form in the templates, and the guard's rules do what they say."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.form_guard import coverage_gaps, find_forms, forms_in, judge, registry_problems
from tests.form_registry import REGISTRY, form


def test_every_form_in_the_templates_is_registered_and_every_registered_form_exists():
    problems = registry_problems(find_forms(), REGISTRY)
    assert not problems, "\n".join(problems)


def test_the_scan_reads_the_project_templates_but_not_the_admin_or_libraries():
    found = find_forms()
    templates = {f.template for f in found}
    assert "registration/login.html" in templates and "notifications/list.html" in templates
    assert not any(t.startswith("admin/") for t in templates)
    assert len(found) >= len(REGISTRY) - 1  # delivery_form.html's one crispy tag serves two forms


def test_a_crispy_tag_inside_a_form_is_part_of_that_form_and_one_outside_draws_its_own():
    text = ('<form data-form="outer" method="post">\n{% crispy inner %}\n</form>\n'
            '{% crispy standalone %}\n<form method="get"></form>')
    found = forms_in("x.html", text)
    assert [(f.name, f.crispy, f.line) for f in found] == [("outer", "", 1), ("", "standalone", 4), ("", "", 5)]


def test_unregistered_unnamed_and_stale_forms_are_each_reported(tmp_path: Path):
    (tmp_path / "page.html").write_text(
        '<form data-form="known" method="post"></form>\n<form method="post"></form>\n'
        '<form data-form="new_one"></form>\n{% crispy filter_form %}\n'
    )
    registry = {"known": form("page.html", "home"), "gone": form("page.html", "home"),
                "gone_crispy": form("other.html", "home", crispy="form")}
    problems = "\n".join(registry_problems(find_forms([tmp_path]), registry))
    assert "page.html:2: <form> without a data-form attribute" in problems
    assert "add data-form='new_one'" in problems
    assert "{% crispy filter_form %} draws a form" in problems
    assert "no template has a form with data-form='gone'" in problems
    assert "'gone_crispy' is drawn by {% crispy form %} in other.html, which no longer has it" in problems
    assert "'known'" not in problems


@pytest.mark.parametrize(
    ("action", "status", "landed", "redirected", "covered", "failure"),
    [
        # The minutes approval form with no action: it posted to the read-only minutes page.
        ("/board/meetings/1/minutes/", 405, "/board/meetings/1/minutes/", False, False, "must go to"),
        ("/board/meetings/1/minutes/approve/", 302, "/board/meetings/1/minutes/", True, True, ""),
        ("/board/meetings/1/minutes/approve/", 200, "/board/meetings/1/minutes/approve/", False, False, ""),
        ("/board/meetings/1/minutes/approve/", 500, "/board/meetings/1/minutes/approve/", False, False, "HTTP 500"),
        ("/board/meetings/1/minutes/approve/", 200, "/home/", True, False, "landed on /home/"),
    ],
)
def test_a_submission_is_judged_by_where_it_posted_and_landed(action, status, landed, redirected, covered, failure):
    verdict = judge(REGISTRY, name="minutes_approve", action=f"http://testserver{action}", method="post",
                    status=status, landed=f"http://testserver{landed}", redirected=redirected)
    assert verdict.covered is covered
    assert (failure in verdict.failure) if failure else not verdict.failure


def test_a_get_form_counts_where_it_lands_and_unknown_forms_fail():
    assert judge(REGISTRY, name="ideas_filter", action="http://t/ideas/?q=x", method="get", status=200,
                 landed="http://t/ideas/?q=x", redirected=False).covered
    assert "without data-form" in judge(REGISTRY, name="", action="http://t/ideas/", method="get", status=200,
                                        landed="http://t/ideas/", redirected=False).failure
    assert "not in tests/form_registry.py" in judge(REGISTRY, name="nope", action="http://t/ideas/", method="get",
                                                    status=200, landed="http://t/ideas/", redirected=False).failure


def test_coverage_lists_every_form_never_submitted():
    registry = {"a": form("t.html", "home"), "b": form("t.html", "home"), "c": form("t.html", "home")}
    assert coverage_gaps(registry, {"a"}) == ["b", "c"]
    assert coverage_gaps(registry, {"a", "b", "c", "not-registered"}) == []


def test_sign_in_may_land_on_the_page_asked_for_a_throttled_refusal_is_not_a_landing_and_admin_is_djangos():
    home = dict(name="sign_in", method="post", redirected=True)
    assert judge(REGISTRY, action="http://t/accounts/sign-in/?next=/notifications/preferences/", status=200,
                 landed="http://t/notifications/preferences/", **home).covered
    # Without ?next= (or with one pointing elsewhere) a landing away from home is still wrong.
    assert "expected ['home']" in judge(REGISTRY, action="http://t/accounts/sign-in/", status=200,
                                        landed="http://t/notifications/preferences/", **home).failure
    assert "expected ['home']" in judge(REGISTRY, action="http://t/accounts/sign-in/?next=//evil.example/notifications/preferences/",
                                        status=200, landed="http://t/notifications/preferences/", **home).failure
    refused = judge(REGISTRY, name="sign_in", action="http://t/accounts/sign-in/", method="post", status=429,
                    landed="http://t/accounts/sign-in/", redirected=False)
    assert not refused.covered and not refused.failure
    admin = judge(REGISTRY, name="", action="http://t/admin/logout/", method="post", status=200,
                  landed="http://t/admin/logout/", redirected=False)
    assert not admin.covered and not admin.failure


def _run(tmp_path, nodeids, args=("tests",), deselected=(), pages=3, **config):
    from types import SimpleNamespace

    from tests.form_guard import partial_run_reason

    for name in ("test_a.py", "test_b.py", "test_coverage.py"):
        (tmp_path / name).write_text("")
    session = SimpleNamespace(items=[SimpleNamespace(nodeid=n) for n in nodeids])
    return partial_run_reason(session, SimpleNamespace(args=list(args), **config), browser_dir=tmp_path,
                              skip="test_coverage.py", pages_tracked=pages, deselected=list(deselected))


def test_coverage_is_judged_only_on_a_run_of_every_browser_test(tmp_path):
    whole = ["tests/browser/test_a.py::t1", "tests/browser/test_b.py::t2", "tests/core/test_x.py::t"]
    assert _run(tmp_path, whole) == ""
    assert "not: test_b.py" in _run(tmp_path, whole[:1])
    assert "deselected" in _run(tmp_path, whole, deselected=["tests/browser/test_a.py::t3"])
    assert "node id" in _run(tmp_path, whole, args=["tests/browser/test_a.py::t1", "tests/browser"])
    assert "no browser test opened a page" in _run(tmp_path, whole, pages=0)
    assert "pytest-xdist" in _run(tmp_path, whole, workerinput={})
