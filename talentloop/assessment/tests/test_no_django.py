"""The scoring engine stays free of Django and of the TalentLoop apps around it."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # talentloop/assessment
ROOT = PACKAGE.parent.parent  # the folder that holds the talentloop package


def _imported_modules(tree: ast.AST, module: str) -> list[str]:
    """Absolute names of every module the tree imports, relative imports resolved against `module`."""
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: -node.level]
                names.append(".".join([*base, node.module] if node.module else base))
            else:
                names.append(node.module or "")
        elif isinstance(node, ast.Call) and _is_dynamic_import(node) and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                names.append(arg.value)
    return names


def _is_dynamic_import(node: ast.Call) -> bool:
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "__import__") or (
        isinstance(func, ast.Attribute) and func.attr == "import_module"
    )


def _forbidden(name: str) -> bool:
    top = name.split(".")[0]
    if top in {"django", "rest_framework", "drf_spectacular", "django_filters", "celery", "config"}:
        return True
    return top == "talentloop" and not (
        name == "talentloop.assessment" or name.startswith("talentloop.assessment.")
    )


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = [*parts[:-1], "__init__"]
    return ".".join(parts)


def test_the_package_has_python_files_to_check() -> None:
    files = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py"))
    assert "__init__.py" in files
    assert "tests/test_no_django.py" in files


def test_no_module_imports_django_or_the_apps() -> None:
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        bad = [name for name in _imported_modules(tree, _module_name(path)) if _forbidden(name)]
        if bad:
            offenders[path.relative_to(PACKAGE).as_posix()] = bad
    assert offenders == {}


def test_the_checker_catches_what_it_should() -> None:
    source = (
        "import django\n"
        "from django.db import models\n"
        "from talentloop.org import models as org\n"
        "from ...org import services\n"
        "import importlib\n"
        "importlib.import_module('talentloop.core.models')\n"
        "from . import scoring\n"
        "from talentloop.assessment.text import analyse\n"
        "import numpy\n"
    )
    names = _imported_modules(ast.parse(source), "talentloop.assessment.engine.fusion")
    assert [n for n in names if _forbidden(n)] == [
        "django",
        "django.db",
        "talentloop.org",
        "talentloop.org",
        "talentloop.core.models",
    ]


def test_importing_the_engine_needs_no_settings_and_leaves_django_unloaded() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    code = (
        "import pkgutil, importlib, sys\n"
        "import talentloop.assessment as engine\n"
        "for info in pkgutil.walk_packages(engine.__path__, 'talentloop.assessment.'):\n"
        "    if '.tests' not in info.name:\n"
        "        importlib.import_module(info.name)\n"
        "web = ('django', 'rest_framework')\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in web)\n"
        "print(loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
