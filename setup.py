"""The build hook: a wheel carries the templates, static files and migrations (which live at
the top of the repository) inside the package, and the message catalogs compiled, so that an
installed planner runs without its source tree (Indico's build compiles its catalogs too).
Everything else is in pyproject.toml."""

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
RESOURCES = ("templates", "static", "migrations")


class BuildWithResources(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return  # an editable install reads the source tree itself
        package = Path(self.build_lib) / "planner"
        for name in RESOURCES:
            target = package / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(
                ROOT / name,
                target,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "node_modules"),
            )
        for po in (ROOT / "planner" / "translations").glob("*/LC_MESSAGES/messages.po"):
            mo = package / po.relative_to(ROOT / "planner").with_suffix(".mo")
            mo.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source, mo.open("wb") as compiled:
                write_mo(compiled, read_po(source, locale=po.parts[-3]))


setup(cmdclass={"build_py": BuildWithResources})
