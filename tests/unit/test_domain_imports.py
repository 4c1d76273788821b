"""The domain imports nothing but the stdlib, eventsourcing.domain and itself (DESIGN §3)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import ideation.domain

DOMAIN_DIR = Path(ideation.domain.__file__).parent
DOMAIN_PACKAGE = "ideation.domain"


def _is_allowed(module: str) -> bool:
    top = module.split(".")[0]
    return (
        top in sys.stdlib_module_names
        or module == "eventsourcing.domain"
        or module == DOMAIN_PACKAGE
        or module.startswith(DOMAIN_PACKAGE + ".")
    )


def _module_of(path: Path) -> str:
    return ".".join([DOMAIN_PACKAGE, *path.relative_to(DOMAIN_DIR).with_suffix("").parts])


def _package_of(path: Path) -> str:
    """The package relative imports start from: the folder the module lives in."""
    return ".".join([DOMAIN_PACKAGE, *path.relative_to(DOMAIN_DIR).parent.parts])


def _resolve(node: ast.ImportFrom, package: str) -> str:
    """The absolute module an `from ... import` reads from (relative imports resolved)."""
    if node.level == 0:
        return node.module or ""
    base = package.split(".")
    if node.level > 1:
        base = base[: -(node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def forbidden_imports(source: str, module_name: str, package: str) -> list[str]:
    """Each import of `source` that is not allowed, as "module: line N: import X"."""
    problems: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(node, package)
            if target == "__future__":
                continue
            # `from eventsourcing import domain` reads the same module as `eventsourcing.domain`.
            imported = [
                f"{target}.{alias.name}"
                if target == "eventsourcing" and alias.name == "domain"
                else target
                for alias in node.names
            ]
        else:
            continue
        problems += [
            (node.lineno, f"{module_name}: line {node.lineno}: imports {name}")
            for name in imported
            if not _is_allowed(name)
        ]
    return [problem for _, problem in sorted(problems)]


def domain_modules() -> list[Path]:
    return sorted(DOMAIN_DIR.rglob("*.py"))


def test_the_domain_has_modules_to_check() -> None:
    names = {path.name for path in domain_modules()}
    assert {"idea.py", "measure.py", "working_group.py", "base.py", "clock.py"} <= names


def test_the_domain_imports_only_the_stdlib_eventsourcing_domain_and_itself() -> None:
    problems = []
    for path in domain_modules():
        source = path.read_text(encoding="utf-8")
        problems += forbidden_imports(source, _module_of(path), _package_of(path))

    assert problems == [], "forbidden imports in the domain:\n" + "\n".join(problems)


def test_the_check_names_the_module_and_each_forbidden_import() -> None:
    source = "\n".join(
        [
            "from __future__ import annotations",
            "import datetime as dt",
            "from collections.abc import Callable",
            "from eventsourcing.domain import Aggregate, event",
            "from eventsourcing import domain",
            "from ideation.domain.errors import DomainError",
            "from .actor import Actor",
            "import sqlalchemy",
            "from eventsourcing.application import Application",
            "from eventsourcing import utils",
            "from ideation.application.service import IdeationApplication",
            "from ..readmodels import tables",
            "def lazy():",
            "    import flask",
        ]
    )

    problems = forbidden_imports(source, "ideation.domain.sample", "ideation.domain")

    assert problems == [
        "ideation.domain.sample: line 8: imports sqlalchemy",
        "ideation.domain.sample: line 9: imports eventsourcing.application",
        "ideation.domain.sample: line 10: imports eventsourcing",
        "ideation.domain.sample: line 11: imports ideation.application.service",
        "ideation.domain.sample: line 12: imports ideation.readmodels",
        "ideation.domain.sample: line 14: imports flask",
    ]
