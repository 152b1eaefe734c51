"""Board and portfolio never write the ideas app's tables or lock its rows themselves.

They go through the public functions of ``ideas.services`` (``lock_idea``, ``timeline_add``,
``idea_park``, ``idea_move``). This reads their source (the syntax tree, not the text) and fails on:

- ``<ideas model>.objects...create/update/delete/bulk_create/.../select_for_update(...)``, however the
  model was imported;
- writes through a related manager that belongs to ideas (``idea.events.create(...)``,
  ``idea.co_owners.add(...)``);
- ``.save()`` or ``.delete()`` of something named like an idea (``idea.save()``, ``item.idea.save()``);
- assigning one of an Idea's fields on something named like an idea, ``setattr`` on it, and any
  assignment to ``parked_until``.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
OTHER_APPS = ("board", "portfolio")
WRITES = {
    "create", "update", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create",
    "add", "remove", "set", "clear", "save", "raw",
}
LOCKS = {"select_for_update"}


def _ideas_models() -> list:
    return list(apps.get_app_config("ideas").get_models())


def _accessors(models) -> set[str]:
    names = set()
    for model in models:
        for field in model._meta.get_fields():
            if field.is_relation and field.related_model is not None:
                names.add(field.get_accessor_name() if field.auto_created else field.name)
    return names


def ideas_accessors() -> set[str]:
    """Related-manager names that lead from an ideas model to another ideas model (``events``, ``co_owners``)."""
    ideas = _ideas_models()
    own = set()
    for model in ideas:
        for field in model._meta.get_fields():
            if field.is_relation and (field.many_to_many or field.one_to_many) and field.related_model in ideas:
                own.add(field.get_accessor_name() if field.auto_created else field.name)
            elif field.many_to_many and not field.auto_created:
                own.add(field.name)  # an idea's own many-to-many table (co_owners, departments)
    others = [m for app in OTHER_APPS for m in apps.get_app_config(app).get_models()]
    return own - _accessors(others) - {"objects"}


def idea_fields() -> set[str]:
    idea = apps.get_model("ideas", "Idea")
    return {f.attname for f in idea._meta.concrete_fields} | {f.name for f in idea._meta.concrete_fields} | {
        "_change_reason"
    }


def _last_name(node) -> str:
    while isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _chain(node) -> list[ast.AST]:
    """The receiver chain of ``a.b(...).c.d``: every Attribute, Call and Name down to the root."""
    out = []
    while True:
        out.append(node)
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return out


def _named_like_an_idea(node) -> bool:
    return "idea" in _last_name(node).lower()


def find_writes(source: str, filename: str = "<source>") -> list[str]:
    """Each direct write to (or lock of) an ideas table in ``source``, as ``file:line: what``."""
    tree = ast.parse(source)
    model_names = {m.__name__ for m in _ideas_models()}
    model_aliases: set[str] = set()  # names bound to an ideas model in this file
    module_aliases: set[str] = set()  # names bound to ideas.models
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "ideas.models":
            model_aliases |= {a.asname or a.name for a in node.names if a.name in model_names}
        elif isinstance(node, ast.ImportFrom) and node.module == "ideas":
            module_aliases |= {a.asname or a.name for a in node.names if a.name == "models"}
        elif isinstance(node, ast.Import):
            module_aliases |= {a.asname for a in node.names if a.name == "ideas.models" and a.asname}
    accessors, fields = ideas_accessors(), idea_fields()

    def is_ideas_model(node) -> bool:
        if isinstance(node, ast.Name):
            return node.id in model_aliases
        if isinstance(node, ast.Attribute) and node.attr in model_names:
            value = node.value
            if isinstance(value, ast.Name) and value.id in module_aliases:
                return True
            return ast.unparse(value) == "ideas.models"
        return False

    found = []
    for node in ast.walk(tree):
        where = f"{filename}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method, receiver = node.func.attr, node.func.value
            chain = _chain(receiver)
            if method in WRITES | LOCKS and any(is_ideas_model(n) for n in chain):
                found.append(f"{where}: {method}() on an ideas model")
            elif method in WRITES and any(isinstance(n, ast.Attribute) and n.attr in accessors for n in chain):
                found.append(f"{where}: {method}() through the ideas relation {ast.unparse(receiver)}")
            elif method in {"save", "delete", "save_base"} and _named_like_an_idea(receiver):
                found.append(f"{where}: {ast.unparse(receiver)}.{method}()")
            elif any(is_ideas_model(n) for n in chain) and any(
                isinstance(n, ast.Attribute) and n.attr in LOCKS for n in chain
            ):
                found.append(f"{where}: locks an ideas row")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
            if node.args and _named_like_an_idea(node.args[0]):
                found.append(f"{where}: setattr on {ast.unparse(node.args[0])}")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for element in target.elts if isinstance(target, ast.Tuple) else [target]:
                    if not isinstance(element, ast.Attribute):
                        continue
                    if element.attr == "parked_until" or (
                        element.attr in fields and _named_like_an_idea(element.value)
                    ):
                        found.append(f"{where}: assigns {ast.unparse(element)}")
    return found


def other_app_sources() -> list[Path]:
    paths = []
    for app in OTHER_APPS:
        paths += [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.relative_to(ROOT).parts]
    return sorted(paths)


def test_board_and_portfolio_write_ideas_only_through_its_services():
    found = []
    for path in other_app_sources():
        found += find_writes(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not found, "Write to ideas through ideas.services (lock_idea, timeline_add, idea_park):\n" + "\n".join(found)


def test_the_scan_reads_both_apps():
    names = {p.relative_to(ROOT).parts[0] for p in other_app_sources()}
    assert names == set(OTHER_APPS)
    assert any(p.name == "decisions.py" for p in other_app_sources())


# What the old code did, and what it may still do.
REFUSED = {
    "timeline row": "from ideas.models import IdeaEvent\nIdeaEvent.objects.create(idea=idea, kind='x')",
    "aliased model": "from ideas.models import Idea as I\nI.objects.filter(pk=1).update(title='x')",
    "module alias": "from ideas import models as im\nim.Idea.objects.bulk_create([])",
    "lock": "from ideas.models import Idea\nIdea.objects.select_for_update().filter(pk=1).values_list('pk').get()",
    "lock then read": "from ideas.models import Idea\nIdea.objects.select_for_update().get(pk=1)",
    "related manager": "idea.events.create(kind='x')",
    "many-to-many": "item.idea.co_owners.add(user)",
    "park": "idea.parked_until = park_until",
    "park anything": "row.parked_until = None",
    "save": "idea.save(update_fields=['parked_until', 'updated_at'])",
    "nested save": "item.idea.save()",
    "history reason": "idea._change_reason = 'Parked'",
    "field": "item.idea.title = 'x'",
    "setattr": "setattr(idea, 'title', 'x')",
}
ALLOWED = {
    "read": "from ideas.models import Idea\nIdea.objects.filter(stage__ready_for_board=True).first()",
    "board row": "from board.models import AgendaItem\nAgendaItem.objects.create(idea=idea, title=idea.title)",
    "board relation": "meeting.items.create(title='x')",
    "board save": "meeting.save(update_fields=['status'])",
    "board field": "item.title = idea.title",
    "service": "from ideas.services import idea_park\nidea_park(idea=idea, until=day)",
}


def test_the_scan_refuses_each_kind_of_direct_write():
    missed = [name for name, code in REFUSED.items() if not find_writes(code)]
    assert not missed, f"The scan let these through: {missed}"


def test_the_scan_allows_reads_and_the_apps_own_tables():
    wrongly = {name: find_writes(code) for name, code in ALLOWED.items() if find_writes(code)}
    assert not wrongly, wrongly
