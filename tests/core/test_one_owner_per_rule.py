"""Each rule that used to be written several times has one definition, and nothing writes it again.

Money has its own pins in test_money.py; the draft-agenda rule's behaviour is covered by the
permission matrix and the Board tests. These read the apps' sources for the old copies.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("ideas", "board", "portfolio", "notifications", "harrow_innovation")


def sources() -> dict[str, str]:
    found = {}
    for app in APPS:
        folder = ROOT / app
        if not folder.is_dir():
            continue
        for path in folder.rglob("*.py"):
            if "migrations" not in path.parts:
                found[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    return found


def defined_in(name: str) -> list[str]:
    return sorted(
        path for path, text in sources().items()
        if any(isinstance(n, ast.FunctionDef | ast.ClassDef) and n.name == name for n in ast.walk(ast.parse(text)))
    )


def matching(pattern: str, *, allowed: tuple[str, ...] = ()) -> list[str]:
    rx = re.compile(pattern)
    return sorted(
        f"{path}:{n}" for path, text in sources().items() if path not in allowed
        for n, line in enumerate(text.splitlines(), 1) if rx.search(line)
    )


def test_the_secretary_or_admin_rule_is_people_roles_alone():
    assert defined_in("is_secretary_or_admin") == ["harrow_innovation/people/roles.py"]
    assert defined_in("has_any_role") == ["harrow_innovation/people/roles.py"]
    assert not (ROOT / "harrow_innovation/people/permissions.py").exists()
    # Asking for the secretary's or the admin's role by hand is how the copies started.
    assert matching(r"has_role\(Role\.(SECRETARY|ADMIN)\)", allowed=("harrow_innovation/people/roles.py",)) == []
    assert matching(r"SECRETARY_WORK\s*=", allowed=("harrow_innovation/people/roles.py",)) == []


def test_the_owner_check_is_ideas_permissions_alone():
    assert defined_in("is_owner") == ["ideas/permissions.py"]
    assert defined_in("owned_filter") == ["ideas/permissions.py"]
    owner_rule = ("ideas/permissions.py",)
    assert matching(r"idea\.owner_id == ", allowed=owner_rule) == []
    assert matching(r"co_owners\.through\.objects\.filter\(idea_id=OuterRef", allowed=owner_rule) == []
    assert matching(r"owner_id=user(_id|\.pk)\)? *\|", allowed=owner_rule) == []


def test_the_draft_agenda_rule_is_one_function():
    assert defined_in("draft_agenda_hidden") == ["board/permissions.py"]
    assert matching(r"status == MeetingStatus\.PLANNED and not can_manage_meetings") == []
    assert matching(r'status != "planned"$', allowed=()) == []


def test_the_idea_filters_are_read_by_one_form():
    from ideas.forms.browsing import IdeaFilterForm
    from portfolio.forms import IdeaExportFilterForm

    assert issubclass(IdeaExportFilterForm, IdeaFilterForm)
    assert matching(r"IdeaFilters\(\s*$|IdeaFilters\(q=", allowed=("ideas/forms/browsing.py",)) == []
