"""The dependency contracts (pyproject.toml, checked by lint-imports in `make test`) cover
every module: each one is a view, a domain module, or part of the app's assembly, so a new
module cannot slip past the rule that domain modules never import views."""

import fnmatch
import pkgutil
import tomllib
from pathlib import Path

import planner

ASSEMBLY = {
    "planner",
    "planner.cli",
    "planner.config",
    "planner.demo",
    "planner.models",
    "planner.scale",
}
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def all_modules() -> set[str]:
    return {"planner"} | {
        info.name for info in pkgutil.walk_packages(planner.__path__, prefix="planner.")
    }


def contract(kind: str) -> dict:
    contracts = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["type"] == kind and "view" in c["name"])


def matches(module: str, expression: str) -> bool:
    """As import-linter reads an expression: a wildcard stands for one whole part of the
    name, and a package stands for its submodules too."""
    return fnmatch.fnmatchcase(module, expression) or module.startswith(expression + ".")


def is_area_package(module: str) -> bool:
    return module.count(".") == 1  # planner.programs, planner.api, ...


def test_every_module_is_a_view_a_domain_module_or_the_assembly():
    views = contract("independence")["modules"]
    domain = contract("forbidden")["source_modules"]
    unplaced = [
        module
        for module in sorted(all_modules() - ASSEMBLY)
        if not (is_area_package(module) and module not in domain)
        and not any(matches(module, view) for view in views)
        and not any(matches(module, source) for source in domain)
    ]
    assert unplaced == []


def test_every_view_pattern_names_modules_that_exist():
    modules = all_modules()
    for pattern in contract("independence")["modules"]:
        assert any(matches(module, pattern) for module in modules), pattern
