"""Every module imports (lazy imports fail here, not in production); the domain stays web-free."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("gridmap", "web", "pages", "callbacks", "layers", "ui")
WEB_MODULES = ("dash", "plotly", "flask", "flask_caching", "werkzeug")


def modules_of(*packages: str) -> list[str]:
    """Return the dotted names of every module under ``packages``, found by walking the folders."""
    names = []
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


@pytest.mark.parametrize("name", modules_of(*PACKAGES))
def test_every_module_imports(name):
    importlib.import_module(name)


def test_the_domain_imports_no_web_module():
    code = (
        "import importlib, sys\n"
        f"for name in {modules_of('gridmap')!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted(m for m in {WEB_MODULES!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
