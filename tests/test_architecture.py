"""The layers of docs/architecture.md are an import-linter contract (pyproject.toml, run by `make lint`): the tree
keeps it, and an import that goes up a layer, across siblings or into `reports` breaks it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(cwd):
    """Run the contracts of `cwd`/pyproject.toml on the packages in `cwd`; return (exit code, output)."""
    result = subprocess.run(
        [LINT_IMPORTS, "--no-cache", "--no-logo"], cwd=cwd, capture_output=True, text=True, timeout=600
    )
    return result.returncode, result.stdout + result.stderr


@pytest.fixture(scope="module")
def python_copy(tmp_path_factory):
    """The project's Python files and pyproject.toml as git would commit them (tracked and new, not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    copy = tmp_path_factory.mktemp("architecture")
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.is_file() and (name.endswith(".py") or name == "pyproject.toml"):
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    return copy


def test_the_tree_keeps_the_layers():
    code, out = lint_imports(ROOT)
    assert code == 0, f"An import breaks the layers of docs/architecture.md; move the code, not the contract:\n{out}"
    assert "Contracts: 2 kept, 0 broken." in out


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("units/upward.py", "import reports.views\n", "Apps import only from the layers below them"),
        ("common/upward.py", "from units.models import Unit\n", "Apps import only from the layers below them"),
        ("households/upward.py", "import imports.models\n", "Apps import only from the layers below them"),
        ("movement/upward.py", "import awards.models\n", "Apps import only from the layers below them"),
        ("awards/upward.py", "import imports.importers\n", "Apps import only from the layers below them"),
        ("documents/sideways.py", "import deadlines\n", "Apps import only from the layers below them"),
        ("imports/reports_reader.py", "import reports.views\n", "Nothing but config imports reports"),
    ],
)
def test_an_import_against_the_layers_breaks_the_contract(python_copy, module, line, contract):
    added = python_copy / module
    added.write_text(f'"""Ngoại lệ kiến trúc: một import trái chiều."""\n\n{line}', encoding="utf-8")
    try:
        code, out = lint_imports(python_copy)
    finally:
        added.unlink()
    assert code != 0, f"`{line.strip()}` in {module} went unnoticed:\n{out}"
    assert f"{contract} BROKEN" in out
    assert module.removesuffix(".py").replace("/", ".") in out
