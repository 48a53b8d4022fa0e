"""The layers contract (pyproject.toml, run by `make lint`) holds, and it would catch an
upward import: the contract is run on a copy of the code with one such import added."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter missing")


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "mitmachen",
        tmp_path / "mitmachen",
        ignore=shutil.ignore_patterns("__pycache__", "*.html", "*.js", "*.css", "*.geojson"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=folder,
        env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_layers_contract_holds_on_a_copy_of_the_code(tmp_path):
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "upward"),
    [
        ("mitmachen/projects/services.py", "mitmachen.polls.models"),
        ("mitmachen/core/htmx.py", "mitmachen.projects.models"),
        ("mitmachen/proposals/selectors.py", "mitmachen.polls.selectors"),
    ],
)
def test_an_upward_import_breaks_the_contract(tmp_path, module, upward):
    folder = _copy(tmp_path)
    path = folder / module
    path.write_text(path.read_text() + f"\nimport {upward}  # noqa\n")
    result = _lint(folder)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 broken" in result.stdout
    assert upward in result.stdout
