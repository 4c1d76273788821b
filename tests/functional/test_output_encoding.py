"""SEC-8, the static half: no user data reaches `|safe` or `Markup`, inline JSON uses `tojson`.

Jinja escapes every `{{ … }}` of an .html, .xml or .svg template; the only ways around that are
`|safe`, `Markup(…)` on a built string, `{% autoescape false %}` and hand-written inline
scripts. This module reads the templates and the source and fails on any such use that is not
on the allow-list below (each entry says why it is safe), then checks the allowed ones with a
payload. tests/e2e/test_xss.py renders the stored corpus in Chromium.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path
from xml.etree import ElementTree

from flask import Flask
from markupsafe import Markup

from ideation.entrypoints.charts import Bar, count_bars_svg
from ideation.entrypoints.pages.exchange import idea_origin
from tests.conftest import Cast

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "web" / "templates"
SOURCE = ROOT / "src" / "ideation"
PAYLOAD = "<script>alert(1)</script>\"'><svg onload=alert(1)>"

# (template, expression) → why the expression holds no text a person typed.
SAFE_FILTER_ALLOWED = {
    ("briefings/briefing_pdf.html", "chart_svg"): (
        "the status chart that pygal draws from status labels and counts; pygal escapes "
        "its labels, and the PDF renderer runs no scripts"
    ),
}
# (module, function) → why its Markup holds no unescaped text a person typed.
MARKUP_ALLOWED = {
    ("entrypoints/pages/common.py", "pilot_badge"): (
        "a literal template; .format() escapes the status and the label it fills in"
    ),
    ("entrypoints/pages/exchange.py", "idea_origin"): (
        "literal templates; .format() escapes the session topic, a stored text, and the URL"
    ),
}
SAFE_FILTER = re.compile(r"\{\{(?P<expression>[^}]*?)\|\s*safe\b")
SCRIPT = re.compile(r"<script\b(?P<attributes>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)
EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


def templates() -> list[Path]:
    """Every template file of the app."""
    return sorted(p for p in TEMPLATES.rglob("*") if p.is_file())


def test_the_templates_use_safe_only_where_the_allow_list_says_why() -> None:
    found = {}
    for path in templates():
        name = path.relative_to(TEMPLATES).as_posix()
        for match in SAFE_FILTER.finditer(path.read_text()):
            found[(name, match.group("expression").strip())] = match.group(0)
    assert found.keys() == SAFE_FILTER_ALLOWED.keys(), found


def test_no_template_turns_autoescaping_off() -> None:
    offending = [
        path.relative_to(TEMPLATES).as_posix()
        for path in templates()
        if re.search(r"\{%-?\s*autoescape\s+false", path.read_text())
    ]
    assert offending == []


def test_jinja_escapes_every_template_of_the_app(web_app: Flask) -> None:
    names = web_app.jinja_env.list_templates()
    assert len(names) >= 30
    assert [n for n in names if not web_app.jinja_env.autoescape(n)] == []


def test_inline_scripts_hold_only_json_written_with_tojson() -> None:
    problems = []
    for path in templates():
        name = path.relative_to(TEMPLATES).as_posix()
        for match in SCRIPT.finditer(path.read_text()):
            body = match.group("body").strip()
            if "src=" in match.group("attributes"):
                if body:
                    problems.append(f"{name}: a script with src and a body")
                continue
            for expression in EXPRESSION.findall(body):
                if not re.search(r"\|\s*tojson\s*$", expression.strip()):
                    problems.append(f"{name}: {{{{{expression}}}}} inside a script without tojson")
    assert problems == []


def markup_calls() -> dict[tuple[str, str], list[ast.Call]]:
    """Every Markup(…) call in the source, by (module, enclosing function)."""
    calls: dict[tuple[str, str], list[ast.Call]] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        module = path.relative_to(SOURCE).as_posix()
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and _is_markup(node.func):
                    calls.setdefault((module, function.name), []).append(node)
        top_level = [n for n in tree.body if not isinstance(n, ast.FunctionDef | ast.ClassDef)]
        for statement in top_level:
            for node in ast.walk(statement):
                if isinstance(node, ast.Call) and _is_markup(node.func):
                    calls.setdefault((module, "<module>"), []).append(node)
    return calls


def _is_markup(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id == "Markup") or (
        isinstance(func, ast.Attribute) and func.attr == "Markup"
    )


def test_markup_is_built_only_from_literal_templates_where_the_allow_list_says_why() -> None:
    calls = markup_calls()
    assert calls.keys() == MARKUP_ALLOWED.keys(), sorted(calls)
    not_literal = [
        f"{module}:{function} line {call.lineno}"
        for (module, function), found in calls.items()
        for call in found
        if call.keywords
        or len(call.args) != 1
        or not isinstance(call.args[0], ast.Constant)
        or not isinstance(call.args[0].value, str)
    ]
    assert not_literal == []


def test_the_source_never_renders_a_template_from_a_string_or_unescapes() -> None:
    offending = []
    for path in sorted(SOURCE.rglob("*.py")):
        text = path.read_text()
        for word in ("render_template_string", ".unescape(", "__html__"):
            if word in text:
                offending.append(f"{path.relative_to(SOURCE)}: {word}")
    assert offending == []


def test_the_origin_link_escapes_the_session_topic(web_app: Flask, cast: Cast) -> None:
    ideation = web_app.extensions["ideation"]
    session = ideation.plan_exchange_session(
        cast.coordinator,
        kind="online_qa",
        scheduled_on=dt.date(2026, 3, 2),
        topic=PAYLOAD,
        host_person_id=cast.coordinator,
    )
    ideation.record_exchange_session(
        cast.coordinator,
        session,
        ideation.get_exchange_session(session).version,
        held_on=dt.date(2026, 3, 2),
        participating_department_ids=[cast.mobility],
        participant_count=3,
    )
    idea = ideation.submit_idea(
        cast.member, title="Aus der Fragestunde", summary="Kurz", origin_session_id=session
    )
    with web_app.test_request_context():
        link = idea_origin(ideation.get_idea(idea))
    assert isinstance(link, Markup)
    assert "<script>" not in link
    assert "<svg" not in link
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&#39;&gt;&lt;svg onload=alert(1)&gt;" in link


def test_a_chart_keeps_a_label_with_markup_as_text(web_app: Flask) -> None:
    with web_app.test_request_context():
        svg = count_bars_svg(
            [Bar(PAYLOAD, 3), Bar("Zweite", 1)], title=PAYLOAD, series=PAYLOAD, no_data_text="-"
        )
    root = ElementTree.fromstring(svg)
    names = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    assert "script" not in names
    assert not [a for e in root.iter() for a in e.attrib if a.lower().startswith("on")]
    assert PAYLOAD in "".join(root.itertext())
