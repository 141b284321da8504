"""No cvmlib module uses another module's private (underscore) names.

The rule, checked on the source (AST) of every module of the ``cvmlib`` package:

1. A private *name* (``_name``, not a dunder) belongs to the module that defines it. No other
   module imports it (``from cvmlib.x import _name``, also relative) or reaches for it as an
   attribute (``cvmlib.x._name``, or ``alias._name`` where ``alias`` is an imported cvmlib
   module). A module's own private names are of course fine.
2. A private *module* (a file ``_x.py``) belongs to the package that contains it: any module
   inside that package (or one of its subpackages) may import it and its public names.
   ``cvmlib/_ids.py`` may be imported anywhere in ``cvmlib``; ``cvmlib/clv/_common.py`` only
   inside ``cvmlib.clv`` (``cvmlib.holdout`` must use what ``cvmlib.clv`` exports).

Why: an underscore promises "no one else depends on this", which is what lets a module change its
internals; input checks in particular live in one place, the public guards of
:mod:`cvmlib.validate`. Tests (``tests/``) may still test private helpers directly: they are not
part of the package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cvmlib"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _private(name: str) -> bool:
    # `_` is gettext's public name for "translate this" (cvmlib.i18n exports it in __all__), not a private one
    if name == "_":
        return False
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _resolve(module: str, node: ast.ImportFrom, path: Path) -> str:
    """The absolute module a ``from ... import`` statement imports from."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if _is_package(path) else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _private_module_owner(target: str) -> str | None:
    """The package that owns the first private module on the dotted path ``target``, if any."""
    parts = target.split(".")
    for i, part in enumerate(parts):
        if _private(part) and ".".join(parts[: i + 1]) in MODULES:
            return ".".join(parts[:i])
    return None


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def violations(module: str, path: Path) -> list[str]:
    """Every use of another module's private name or of a foreign private module, as text."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    aliases: dict[str, str] = {}  # local name -> the cvmlib module it stands for

    def private_module(target: str, line: int) -> None:
        owner = _private_module_owner(target)
        if owner is not None and not _inside(module, owner):
            found.append(f"{module}:{line}: imports private module {target} (belongs to {owner})")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "cvmlib":
                    private_module(alias.name, node.lineno)
                    if alias.asname:
                        aliases[alias.asname] = alias.name
                    else:
                        aliases.setdefault("cvmlib", "cvmlib")
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, node, path)
            if source.split(".")[0] != "cvmlib":
                continue
            private_module(source, node.lineno)
            for alias in node.names:
                full = f"{source}.{alias.name}"
                if full in MODULES:  # a submodule imported by name
                    private_module(full, node.lineno)
                    aliases[alias.asname or alias.name] = full
                elif _private(alias.name) and source != module:
                    found.append(f"{module}:{node.lineno}: imports {alias.name} from {source}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            chain, value = [node.attr], node.value
            while isinstance(value, ast.Attribute):
                chain.append(value.attr)
                value = value.value
            if isinstance(value, ast.Name) and value.id in aliases:
                target = ".".join([aliases[value.id], *reversed(chain[1:])])
                if target in MODULES and target != module:
                    found.append(f"{module}:{node.lineno}: uses {target}.{node.attr}")
    return found


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_uses_another_modules_private_names(module: str) -> None:
    problems = violations(module, MODULES[module])
    assert not problems, "Private names used across modules (use or add a public name):\n" + "\n".join(problems)


def _check_source(module: str, source: str, tmp_path: Path, name: str = "mod.py") -> list[str]:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return violations(module, path)


@pytest.mark.parametrize(("module", "source", "bad"), [
    ("cvmlib.holdout", "from cvmlib.validate import _rows_text\n", True),
    ("cvmlib.holdout", "from cvmlib.validate import rows_text\n", False),
    ("cvmlib.clv.summary", "from cvmlib.rfm import _factorize_ids\n", True),
    ("cvmlib.clv.summary", "from ..rfm import _factorize_ids\n", True),
    ("cvmlib.holdout", "import cvmlib.validate\nx = cvmlib.validate._fail\n", True),
    ("cvmlib.holdout", "from cvmlib import rfm as r\nx = r._factorize_ids\n", True),
    ("cvmlib.holdout", "from cvmlib.clv._common import unit_days\n", True),
    ("cvmlib.clv.summary", "from cvmlib.clv._common import unit_days\n", False),
    ("cvmlib.clv.summary", "from ._common import unit_days\n", False),
    ("cvmlib.clv.summary", "from cvmlib._ids import factorize_ids\n", False),
    ("cvmlib.rfm", "def _own():\n    pass\nx = _own\n", False),
    ("cvmlib.rfm", "import numpy as np\nx = np._NoValue\n", False),
])
def test_the_rule_can_fail(module: str, source: str, bad: bool, tmp_path: Path) -> None:
    """The checker itself: each of these is (or is not) a violation."""
    name = "__init__.py" if module.endswith("clv") else "mod.py"
    assert bool(_check_source(module, source, tmp_path, name)) is bad
