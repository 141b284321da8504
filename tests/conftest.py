"""Shared fixtures: executing notebooks the way a participant's JupyterLab kernel would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import matplotlib
import nbformat
import pytest
from nbclient import NotebookClient

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def execute_notebook(nb: nbformat.NotebookNode, cwd: Path, allow_errors: bool = False) -> nbformat.NotebookNode:
    """Execute ``nb`` in a fresh python3 kernel with ``cwd`` as working directory."""
    env_backend = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "Agg"
    try:
        client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=allow_errors,
                                resources={"metadata": {"path": str(cwd)}})
        client.execute()
    finally:
        if env_backend is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = env_backend
    return nb


def output_text(cell: nbformat.NotebookNode) -> str:
    """All text a code cell showed (stream, plain-text results, errors)."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in {"execute_result", "display_data"}:
            parts.append(output.get("data", {}).get("text/plain", ""))
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}")
    return "\n".join(parts)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_book() -> Path:
    """Build the whole book once per test session, every notebook executed, warnings are errors."""
    subprocess.run([sys.executable, "tools/vendor_assets.py", "--dest", "_build/vendor"], cwd=ROOT, check=True)
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", ".", "--builder", "html", "--warningiserror", "--nitpick", "--keep-going"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, f"book build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return ROOT / "_build" / "html"
