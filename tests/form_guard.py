"""The form guard's rules, kept free of the browser so they can be tested on their own.

- ``find_forms`` reads every project template and lists its forms: each ``<form>`` tag, and
  each ``{% crispy %}`` outside a ``<form>`` (crispy then draws the tag itself).
- ``registry_problems`` compares what the templates hold with tests/form_registry.py.
- ``judge`` decides, for one submission the browser saw, whether it went where the registry
  says (a failure), and whether it counts as the form being covered.
- ``coverage_gaps`` lists the registered forms no browser test submitted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.urls import Resolver404, resolve

FORM_OPEN = re.compile(r"<form\b[^>]*>", re.I)
FORM_CLOSE = re.compile(r"</form\s*>", re.I)
CRISPY = re.compile(r"{%\s*crispy\s+(\w+)[^%]*%}")
DATA_FORM = re.compile(r"""\bdata-form=["']([^"']*)["']""")
TOKENS = re.compile(f"{FORM_OPEN.pattern}|{FORM_CLOSE.pattern}|{CRISPY.pattern}", re.I)


@dataclass(frozen=True)
class FoundForm:
    template: str  # relative to its templates directory, as Django names it
    line: int
    name: str  # the data-form attribute; "" when missing; for crispy forms always ""
    crispy: str = ""  # the {% crispy %} variable when crispy draws the <form> tag


def template_dirs() -> list[Path]:
    """The project's own template directories: settings DIRS and the project apps' templates/."""
    from django.conf import settings
    from django.template.utils import get_app_template_dirs

    base = Path(settings.BASE_DIR).resolve()
    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    dirs += [Path(d) for d in get_app_template_dirs("templates")]
    return [d for d in dirs if d.resolve().is_relative_to(base) and ".venv" not in d.resolve().parts]


def forms_in(template: str, text: str) -> list[FoundForm]:
    found, depth = [], 0
    for match in TOKENS.finditer(text):
        token, line = match.group(0), text.count("\n", 0, match.start()) + 1
        if FORM_OPEN.fullmatch(token):
            depth += 1
            name = DATA_FORM.search(token)
            found.append(FoundForm(template, line, name.group(1) if name else ""))
        elif FORM_CLOSE.fullmatch(token):
            depth = max(depth - 1, 0)
        elif depth == 0:
            found.append(FoundForm(template, line, "", crispy=CRISPY.fullmatch(token).group(1)))
    return found


def find_forms(dirs: list[Path] | None = None) -> list[FoundForm]:
    found = []
    for root in template_dirs() if dirs is None else dirs:
        for path in sorted(Path(root).rglob("*.html")):
            name = path.relative_to(root).as_posix()
            if name.startswith("admin/"):  # Django admin's own forms are the admin's business
                continue
            found += forms_in(name, path.read_text(encoding="utf-8"))
    return found


def registry_problems(found: list[FoundForm], registry: dict) -> list[str]:
    problems = []
    tags: dict[str, FoundForm] = {}
    crispy_spots = {(f.template, f.crispy): f for f in found if f.crispy}
    for f in found:
        if f.crispy:
            if not any(spec.template == f.template and spec.crispy == f.crispy for spec in registry.values()):
                problems.append(f"{f.template}:{f.line}: {{% crispy {f.crispy} %}} draws a form tests/form_registry.py "
                                "does not name: give its helper attrs a data-form and register it")
        elif not f.name:
            problems.append(f"{f.template}:{f.line}: <form> without a data-form attribute")
        elif f.name in tags:
            problems.append(f"{f.template}:{f.line}: data-form={f.name!r} is also used at "
                            f"{tags[f.name].template}:{tags[f.name].line}")
        else:
            tags[f.name] = f
            if f.name not in registry:
                problems.append(f"{f.template}:{f.line}: add data-form={f.name!r} to tests/form_registry.py")
            elif registry[f.name].template != f.template or registry[f.name].crispy:
                problems.append(f"tests/form_registry.py puts {f.name!r} in {registry[f.name].template}, "
                                f"but it is a <form> tag in {f.template}")
    for name, spec in registry.items():
        if spec.crispy:
            if (spec.template, spec.crispy) not in crispy_spots:
                problems.append(f"tests/form_registry.py: {name!r} is drawn by {{% crispy {spec.crispy} %}} "
                                f"in {spec.template}, which no longer has it")
            if name in tags:
                problems.append(f"tests/form_registry.py: {name!r} is both a crispy form and a <form> tag")
        elif name not in tags:
            problems.append(f"tests/form_registry.py: no template has a form with data-form={name!r}")
    return problems


def url_name(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


@dataclass(frozen=True)
class Verdict:
    covered: bool
    failure: str = ""


def judge(registry: dict, *, name: str, action: str, method: str, status: int, landed: str,
          redirected: bool) -> Verdict:
    """One form submission the browser made: did it post and land where the registry says?"""
    if not name and (url_name(action) or "").startswith("admin:"):
        return Verdict(False)  # Django admin's own forms are Django's, not in the registry
    if not name:
        return Verdict(False, f"a form without data-form was submitted to {action}: name it and register it")
    spec = registry.get(name)
    if spec is None:
        return Verdict(False, f"form {name!r} is not in tests/form_registry.py")
    posted_to = url_name(action)
    if posted_to not in spec.posts_to:
        return Verdict(False, f"form {name!r} sent {method.upper()} {urlsplit(action).path} ({posted_to}); "
                              f"it must go to {sorted(spec.posts_to)}")
    landed_on = url_name(landed)
    if status == 429 and landed_on == posted_to and not redirected:
        return Verdict(False)  # refused for now (throttled), shown on the form's own page: not a landing
    if status >= 400:
        return Verdict(False, f"form {name!r} landed on {landed} with HTTP {status}")
    come_back_to = parse_qs(urlsplit(action).query).get("next", [""])[0]
    local = come_back_to.startswith("/") and not come_back_to.startswith("//")
    if redirected and local and urlsplit(come_back_to).path == urlsplit(landed).path:
        return Verdict(True)  # sent back to the page the person asked for (sign-in's ?next=)
    if landed_on in spec.lands and (redirected or method == "get" or spec.renders):
        return Verdict(True)
    if landed_on == posted_to and not redirected:
        return Verdict(False)  # the form again, showing what was wrong
    return Verdict(False, f"form {name!r} landed on {urlsplit(landed).path} ({landed_on}); "
                          f"expected {sorted(spec.lands)}")


def coverage_gaps(registry: dict, submitted: set[str]) -> list[str]:
    """The registered forms no browser test submitted through their own button."""
    return [name for name in sorted(registry) if name not in submitted]


def partial_run_reason(session, config, *, browser_dir: Path, skip: str, pages_tracked: int,
                       deselected: list[str]) -> str:
    """Why this run cannot judge coverage ("" when it ran the whole of tests/browser)."""
    if hasattr(config, "workerinput"):
        return "pytest-xdist splits the browser tests between workers, each of which sees only its share"
    expected = {p.name for p in browser_dir.glob("test_*.py")} - {skip}
    ran = {item.nodeid.split("::")[0].rsplit("/", 1)[-1] for item in session.items
           if item.nodeid.startswith("tests/browser/")}
    if expected - ran:
        return f"only part of tests/browser was collected (not: {', '.join(sorted(expected - ran))})"
    if deselected:
        return f"{len(deselected)} browser test(s) were deselected (-k, -m or --lf)"
    if any("::" in arg and "tests/browser/" in arg for arg in config.args):
        return "browser tests were chosen by node id"
    if not pages_tracked:
        return "no browser test opened a page (is Chromium missing?)"
    return ""
