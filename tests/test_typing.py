"""The public API is typed: mypy checks the whole package (settings in pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_finds_no_type_errors():
    result = subprocess.run([sys.executable, "-m", "mypy", "cvmlib"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_is_marked_typed():
    assert (ROOT / "cvmlib" / "py.typed").exists()
